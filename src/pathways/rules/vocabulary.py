"""The contract's vocabulary (docs/contract.md section 2): names, not law.

These names are fixed by the outside contract; what each one means in law lives in
the knowledge base.
"""

VISAS = (
    "f-1", "j-1-student", "j-1-alien-physician", "j-1-research-scholar", "b-1",
    "vwp-business", "h-1b", "h-1b-renown", "o-1a", "e-3", "tn", "us-person",
)
AUTHORIZATIONS = ("none", "ptl", "bpc-2111", "bpc-2112", "bpc-2113", "bpc-2168", "full-license")
CONTACT_LEVELS = ("none", "incidental", "supervised", "independent")  # least to most
CATEGORIES = ("student", "img-under-3", "img-3-plus")
PATHWAY_STATUSES = ("open", "needs-info", "blocked")
REQUIREMENT_STATUSES = ("met", "unmet", "unknown")

# What the contract names and the knowledge base must define (checked by rules/lint.py):
# the Knowledge attribute -> the names.
CONTRACT = {"visas": VISAS, "authorizations": AUTHORIZATIONS, "categories": CATEGORIES}
