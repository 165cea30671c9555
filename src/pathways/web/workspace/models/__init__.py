"""The workspace's records, one module per noun. Every record belongs to one institution:
views and the API filter by the signed-in member's institution (see access.py)."""

from .accounts import Institution, Member, Role
from .cases import Case, ChecklistItem, Document, Note
from .history import HistoryEntry
from .logs import ContactLog
from .partners import Agreement, Exchange, Partner

__all__ = ["Institution", "Member", "Role", "Case", "ChecklistItem", "Document", "Note", "HistoryEntry",
           "ContactLog", "Agreement", "Exchange", "Partner"]
