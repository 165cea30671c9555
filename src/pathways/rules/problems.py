"""The errors a profile is refused with: one problem per field, what was wrong, what is accepted.

Apart from rules/profile.py so that rules/nesting.py (which the checker calls) can raise them
without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def as_dict(self) -> dict:
        return {"field": self.field, "message": self.message}


class ProfileError(ValueError):
    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))
