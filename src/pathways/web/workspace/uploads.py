"""What a case's documents may be: a size limit and a short list of types, told by their
content (the first bytes, "magic"), not by the name or the browser's Content-Type.

- PDF (`%PDF-`), PNG (`\\x89PNG\\r\\n\\x1a\\n`), JPEG (`\\xff\\xd8\\xff`), Word .docx (a ZIP
  with `[Content_Types].xml` and `word/document.xml`, no macros) and plain text (UTF-8, no
  NUL or other control bytes, no HTML, SVG, XML or script markup);
- the name's extension must be one of that type's (.pdf; .png; .jpg, .jpeg; .docx; .txt);
- at most `settings.WORKSPACE_DOCUMENT_MAX_BYTES` (10 MB unless set).

`SizeLimitUploadHandler` (first in settings.FILE_UPLOAD_HANDLERS) stops keeping a file once
it passes `settings.WORKSPACE_UPLOAD_MAX_BYTES`: the rest of it is read and dropped, never
written to disk, and the form gets a `TooLarge` file that says how big it was.

Documents go back out as attachments (never shown inline), with `Content-Security-Policy:
sandbox`, `nosniff` and the type of their extension (views_cases.document).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from . import sensitive

MB = 1024 * 1024
TYPES = {  # kind: (what it is called, extensions, the Content-Type it is served with)
    "pdf": ("a PDF", (".pdf",), "application/pdf"),
    "png": ("a PNG image", (".png",), "image/png"),
    "jpeg": ("a JPEG image", (".jpg", ".jpeg"), "image/jpeg"),
    "docx": ("a Word document (.docx)", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "text": ("plain text", (".txt",), "text/plain; charset=utf-8"),
}
ACCEPT_ATTRIBUTE = ",".join(e for _, exts, _ in TYPES.values() for e in exts)  # the file input's `accept`
ACCEPTED = "PDF, PNG, JPEG, Word (.docx) or plain text (.txt)"
_MARKUP = re.compile(rb"(?i)<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|form|img|a\s|\?xml)")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def max_bytes() -> int:
    return int(getattr(settings, "WORKSPACE_DOCUMENT_MAX_BYTES", 10 * MB))


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB / 10 else f"{n / 1024:.0f} KB"


class TooLarge(UploadedFile):
    """Stands in for a file the upload handler stopped keeping: its name and its real size."""

    too_large = True

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """Keeps each uploaded file only up to `settings.WORKSPACE_UPLOAD_MAX_BYTES`."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.seen, self.over = 0, False
        self.limit = int(getattr(settings, "WORKSPACE_UPLOAD_MAX_BYTES", max_bytes()))

    def receive_data_chunk(self, raw_data, start):
        self.seen += len(raw_data)
        if self.seen > self.limit:
            self.over = True
            return None  # the handlers after this one (memory, temporary file) get nothing more
        return raw_data

    def file_complete(self, file_size):
        if self.over:
            return TooLarge(self.file_name, self.content_type, self.seen, self.charset)
        return None


def sniff(head: bytes, upload) -> str | None:
    """The allowed kind the content is, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:  # the central directory only: nothing is unpacked
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names and "word/vbaProject.bin" not in names:
            return "docx"
        return None
    return None


def _text_problem(data: bytes) -> str | None:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "is neither one of the accepted types nor UTF-8 text"
    if _CONTROL.search(data):
        return "has control bytes that plain text does not have (is it a program or an archive?)"
    if _MARKUP.search(data):
        return "is HTML, SVG or XML markup, not plain text"
    return None


def check(upload) -> tuple[str | None, str | None]:
    """(kind, None) for an acceptable upload, else (None, the form's message)."""
    limit = max_bytes()
    size = getattr(upload, "size", 0) or 0
    if getattr(upload, "too_large", False) or size > limit:
        return None, f"The file is {_size(size)}; documents can be at most {_size(limit)}."
    name = upload.name or ""
    message = sensitive.problem(PurePath(name).stem)
    if message:
        return None, f"The file's name holds an identity number. {message}"
    extension = PurePath(name).suffix.lower()
    wanted = next((k for k, (_, exts, _) in TYPES.items() if extension in exts), None)
    if wanted is None:
        return None, (f"Only {ACCEPTED} files can be uploaded; "
                      f"this one's name ends in {extension or '(no extension)'}.")
    upload.seek(0)
    head = upload.read(8)
    kind = sniff(head, upload)
    if kind is None and wanted == "text":
        upload.seek(0)
        data = upload.read()
        problem = _text_problem(data)
        if problem:
            upload.seek(0)
            return None, f"Only {ACCEPTED} files can be uploaded; this file {problem}."
        kind = "text"
        message = sensitive.problem(data.decode("utf-8-sig"))
        if message:
            upload.seek(0)
            return None, f"The file's text holds an identity number. {message}"
    upload.seek(0)
    if kind is None:
        return None, (f"Only {ACCEPTED} files can be uploaded; this file's content is none of them "
                      f"(its name says {TYPES[wanted][0]}, its first bytes do not).")
    if kind != wanted:
        return None, (f"The file's content is {TYPES[kind][0]} but its name ends in {extension}: "
                      f"rename it to end in {TYPES[kind][1][0]}.")
    return kind, None


def served_type(name: str) -> str:
    """The Content-Type a stored document is served with: its extension's, else a download."""
    extension = PurePath(name).suffix.lower()
    return next((t for _, exts, t in TYPES.values() if extension in exts), "application/octet-stream")


def attachment(stored):
    """A stored upload (a FieldFile) served as a download, never as a page of this site: no
    script runs and no type is guessed (the same for a case's documents and an agreement's)."""
    from django.http import FileResponse

    name = stored.name.rsplit("/", 1)[-1]
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=served_type(name))
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

