"""An institution's data as JSON: its members (no passwords), partners, agreements,
exchanges, cases with their checklists, notes, documents' titles and contact logs, and
the history. Nothing of another institution."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.forms.models import model_to_dict

from .models import Agreement, Case, Exchange, HistoryEntry, Member, Partner
from .sensitive import redact


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # a file: its name only
        return redact(value.name)
    # text written before identity numbers were refused still leaves masked
    return redact(value)


def _row(obj, exclude=("institution",)) -> dict:
    data = model_to_dict(obj, exclude=list(exclude))
    data["id"] = obj.pk
    return {k: _plain(v) for k, v in data.items()}


def export_institution(institution) -> dict:
    cases = []
    for case in Case.objects.filter(institution=institution).prefetch_related("checklist", "notes", "documents",
                                                                              "contact_logs"):
        row = _row(case)
        row["checklist"] = [_row(i, exclude=("case",)) for i in case.checklist.all()]
        row["notes"] = [_row(n, exclude=("case",)) for n in case.notes.all()]
        row["documents"] = [{"id": d.pk, "title": d.title, "file": d.file.name, "created": d.created.isoformat()}
                            for d in case.documents.all()]
        row["contact_log"] = [_row(w, exclude=("case",)) for w in case.contact_logs.all()]
        cases.append(row)
    return {
        "institution": {"name": institution.name, "slug": institution.slug,
                        "incidental_threshold_pct": institution.incidental_threshold_pct},
        "exported": datetime.now().astimezone().isoformat(timespec="seconds"),
        "members": [{"username": m.user.username, "role": m.role}
                    for m in Member.objects.filter(institution=institution).select_related("user")],
        "partners": [_row(p) for p in Partner.objects.filter(institution=institution)],
        "agreements": [_row(a) for a in Agreement.objects.filter(institution=institution)],
        "exchanges": [_row(e) for e in Exchange.objects.filter(institution=institution)],
        "cases": cases,
        "history": [{"model": h.model, "object_id": h.object_id, "action": h.action, "at": h.at.isoformat(),
                     "user": h.user.username if h.user else None, "before": h.before, "after": h.after}
                    for h in HistoryEntry.objects.filter(institution=institution).select_related("user")],
    }
