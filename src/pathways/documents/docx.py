"""A composed letter as a Word document (python-docx), laid out as the PDF is: letterhead,
date, addressee, subject, clauses, signature blocks, references. The document's properties
carry the kind and template version, so a file read back says what it was made from."""

from __future__ import annotations

import io

from ..rules.letter_template import long_date
from .compose import Letter, paragraphs


def docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "DejaVu Serif", Pt(10.5)
    for i, line in enumerate(letter.letterhead):
        run = doc.add_paragraph().add_run(line)
        run.bold = i == 0
        if i == 0:
            run.font.size = Pt(13)
    doc.add_paragraph(long_date(letter.date))
    if letter.addressee:
        doc.add_paragraph("\n".join(letter.addressee))
    doc.add_paragraph().add_run(letter.subject).bold = True
    if letter.salutation:
        doc.add_paragraph(letter.salutation)
    for text in letter.refusals:  # first, so that no one reads on as if it were certified
        doc.add_paragraph().add_run("Not certified").bold = True
        _paragraphs(doc, paragraphs(text))
    for block in letter.blocks:
        if block.heading:
            doc.add_paragraph().add_run(block.heading).bold = True
        _paragraphs(doc, block.paragraphs)
    for s in letter.signatures:
        doc.add_paragraph().add_run(s.role).bold = True
        doc.add_paragraph("Signature: ________________________________")
        doc.add_paragraph(f"{s.name}\n{s.title}")
        doc.add_paragraph("Date: ____________________")
    if letter.references:
        doc.add_paragraph().add_run("References").bold = True
        for r in letter.references:
            run = doc.add_paragraph().add_run(f"{r['label']}: {r['title']} ({r['address']})")
            run.font.size = Pt(8.5)
    footer = doc.add_paragraph().add_run(f"{letter.name}: template version {letter.version}, knowledge base {letter.knowledge}.")
    footer.font.size = Pt(7.5)
    props = doc.core_properties
    props.title, props.subject = letter.subject, letter.name
    props.keywords = f"{letter.kind}; version {letter.version}"
    props.comments = f"knowledge base {letter.knowledge}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraphs(doc, found) -> None:
    for p in found:
        if p.items:
            for item in p.items:
                doc.add_paragraph(item, style="List Bullet")
        else:
            doc.add_paragraph(p.text)
