"""Erasing a trainee: what the workspace keeps about one person, gone on request.

`erase_case` removes, in one transaction: the case (its trainee's name, email, profile and
verdict), its checklist, notes, documents (and, once the transaction commits, their files on
disk and the case's folder), its incidental-contact log; it blanks the before and after
values of every history entry about them (who changed what and when stays, what it said
does not) and the admin's log lines about them; and it leaves one history entry without
personal data: the case's number, who erased it, when, and how many records went.

What it cannot reach, and the README's privacy notes say: backups made before the erasure
(`pathways backup`), and, on PostgreSQL, old row versions until VACUUM reuses their space
(on SQLite the deleted content is overwritten: `PRAGMA secure_delete`).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.db import connection, transaction

from .models import Case, HistoryEntry

ERASED = "erased"  # the audit entry's action


def history_of(case: Case):
    """Every history entry about the case and its parts (checklist, logs, notes, documents,
    letters), those of parts deleted since among them: the entries whose case_ref is the case's
    (history.record writes it; migration 0007 filled it from the entries' records)."""
    return HistoryEntry.objects.filter(institution_id=case.institution_id, case_ref=case.pk)


def _admin_log(case: Case) -> int:
    """Blank the admin's log lines about the case and its contact log (they repeat its name)."""
    from django.apps import apps

    if not apps.is_installed("django.contrib.admin"):
        return 0
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from .models import ContactLog

    targets = [(Case, [case.pk]), (ContactLog, list(case.contact_logs.values_list("id", flat=True)))]
    blanked = 0
    for model, ids in targets:
        if ids:
            blanked += LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                               object_id__in=[str(i) for i in ids]).update(
                object_repr=f"({model.__name__} erased)", change_message="")
    return blanked


def _delete_files(names: list[str], folder: str) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass
    try:  # the case's folder, cases/<institution>/<case>/, if nothing else is in it
        path = Path(default_storage.path(folder))
        if path.is_dir() and not any(path.iterdir()):
            os.rmdir(path)
    except (NotImplementedError, OSError):
        pass


def erase_case(case: Case, user) -> HistoryEntry:
    """Erase the case's trainee (see the module's docstring); the audit entry left behind."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # deleted rows overwritten in the file, not only unlinked
            cursor.execute("PRAGMA secure_delete = ON")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        institution, case_id = case.institution, case.pk
        files = [d.file.name for d in case.documents.all() if d.file and d.file.name]
        letters = [x.file.name for x in case.letters.all() if x.file and x.file.name]  # letters issued on the case
        counts = {
            "checklist_steps": case.checklist.count(),
            "notes": case.notes.count(),
            "documents": len(files),
            "letters": len(letters),
            "contact_log_weeks": case.contact_logs.count(),
        }
        counts["history_entries_blanked"] = history_of(case).update(before=None, after=None)
        counts["admin_log_entries_blanked"] = _admin_log(case)
        case.delete()  # the checklist, notes, documents and contact log go with it (CASCADE)
        audit = HistoryEntry.objects.create(
            institution=institution, model="Case", object_id=case_id, case_ref=case_id,
            user=user if getattr(user, "is_authenticated", False) else None, action=ERASED, before=None,
            after={"erased": counts})
        folder = f"cases/{institution.pk}/{case_id}"
        transaction.on_commit(lambda: _delete_files(files + letters, folder))
    return audit
