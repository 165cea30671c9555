"""The workspace's records, one module per noun. Every record belongs to one institution:
views and the API filter by the signed-in member's institution (see access.py)."""

from .accounts import Institution, Member, Role
from .cases import Case, ChecklistItem, Document, Note
from .history import HistoryEntry
from .letters import IssuedLetter, Letterhead, Signatory
from .logs import ContactLog
from .partners import Agreement, AgreementDocument, Exchange, Partner, PartnerContact

# No identity number is written, whatever path the write takes (sensitive.py).
from django.db.models.signals import pre_save  # noqa: E402

from ..sensitive import refuse_on_save  # noqa: E402

pre_save.connect(refuse_on_save, dispatch_uid="workspace-no-identity-numbers")

__all__ = ["Institution", "Member", "Role", "Case", "ChecklistItem", "Document", "Note", "HistoryEntry",
           "ContactLog", "Agreement", "AgreementDocument", "Exchange", "Partner", "PartnerContact", "IssuedLetter", "Letterhead", "Signatory"]
