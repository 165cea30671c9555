"""The contract's vocabulary (docs/contract.md section 2): names, not law.

These names are fixed by the outside contract; what each one means in law lives in
the knowledge base.
"""

VISAS = (
    "f-1", "j-1-student", "j-1-alien-physician", "j-1-research-scholar", "b-1",
    "vwp-business", "h-1b", "h-1b-renown", "o-1a", "e-3", "tn", "us-person",
)
AUTHORIZATIONS = ("none", "ptl", "bpc-2111", "bpc-2112", "bpc-2113", "bpc-2168", "full-license",
                  "oh-vcpd", "oh-clinical-research-faculty", "oh-training-certificate",
                  "tn-visitor-clinical-training", "tn-provisional-license")
JURISDICTIONS = ("ca", "oh", "tn")
DEFAULT_JURISDICTION = "ca"  # the contract's default (`--state`)
CONTACT_LEVELS = ("none", "incidental", "supervised", "independent")  # least to most
CATEGORIES = ("student", "img-under-3", "img-3-plus")
PATHWAY_STATUSES = ("open", "needs-info", "blocked")
REQUIREMENT_STATUSES = ("met", "unmet", "unknown")

# What the contract names and the knowledge base must define (checked by rules/lint.py):
# the Knowledge attribute -> the names.
CONTRACT = {"visas": VISAS, "authorizations": AUTHORIZATIONS, "categories": CATEGORIES, "jurisdictions": JURISDICTIONS}


def authorization_key(jurisdiction: str, code: str) -> str:
    """Where an authorization is kept: codes are unique within a jurisdiction, and `none` is in
    every one, so outside the default jurisdiction a code not already prefixed by the
    jurisdiction's code is kept as `<jurisdiction>-<code>` (Ohio's `none` is `oh-none`)."""
    if jurisdiction == DEFAULT_JURISDICTION or code.startswith(jurisdiction + "-"):
        return code
    return f"{jurisdiction}-{code}"
