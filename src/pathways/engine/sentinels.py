"""Texts cut at sentinels: how the batch's composers follow report.py's texts (issue 16).

The composers (composer.py, composer_full.py) write no JSON of their own. They give report.py's
functions the engine's objects with sentinels where a person's own values go (days no plan
reaches, amounts no fee costs, ids no requirement has), and cut the text at the sentinels into a
template. A sentinel that is not found exactly once, or parts that come in another order than
the first template's, is a TemplateError: report.py writes something the templates do not
follow, and the batch goes back to the plain way (batch.py).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date

import numpy as np

from .costs import Costs

STATUS = ("open", "needs-info", "blocked")  # vector.STATUS_CODES
TRI = (None, False, True)  # vector.evaluate_table's codes -1, 0, 1 (+ 1), as the scalar evaluator gives them
CAN_START = ("yes", "likely", "only-if-fast", "no", None)  # None: no start date
# sum() adds floats one after the other up to Python 3.11 (3.12 compensates): costs.Costs' totals,
# the fees' and then the stay's, are then their sum and the stay's added, whatever the amounts;
# from 3.12 only where they are whole numbers (which add up exactly in any way)
NAIVE_SUM = sys.version_info < (3, 12)

# sentinels: values no real plan or cost takes, written where a person's own go
_START, _BY_LATE, _BY, _SAFE = date(9999, 12, 3), date(1, 1, 5), date(9999, 12, 5), date(9999, 12, 7)
_FAR = (date(9999, 11, 3), date(9999, 11, 5), date(9999, 11, 7))
_USD = (1234567891.25, 1234567893.25, 1234567895.25, 1234567897.25)
_IDS = tuple(f"\x00{n}\x00" for n in ("status", "unmet", "unknown", "ask", "arrange"))
_TIMELINE, _COSTS = 1, 9  # pieces of a timeline (one) and of costs (5 of a template, 4 amounts)


class TemplateError(ValueError):
    """A text could not be cut at its sentinels: report.py writes something the templates cannot follow."""


def _cut(text: bytes, sentinels: dict[bytes, int]) -> tuple:
    """`text` as the pieces between the sentinels' texts (each found exactly once), with the
    sentinels' numbers between them: (bytes, int, bytes, ..., bytes)."""
    places = []
    for marker, slot in sentinels.items():
        if text.count(marker) != 1:
            raise TemplateError(f"{marker!r} found {text.count(marker)} times in {text[:300]!r}")
        places.append((text.index(marker), len(marker), slot))
    pieces, at = [], 0
    for start, length, slot in sorted(places):
        if start < at:
            raise TemplateError(f"sentinels overlap in {text[:300]!r}")
        pieces += [text[at:start], slot]
        at = start + length
    return tuple(pieces + [text[at:]])


def _same(kept: tuple | None, order, what: str) -> tuple:
    order = tuple(order)
    if kept is not None and kept != order:
        raise TemplateError(f"{what} come in another order: {order} after {kept}")
    return order


@dataclass(frozen=True)
class _Sums(Costs):
    """Costs whose totals are given (sentinels in a template), not added up from the items."""

    sums: tuple = (0, 0, {})

    @property
    def min(self):
        return self.sums[0]

    @property
    def max(self):
        return self.sums[1]

    @property
    def by_payer(self):
        return self.sums[2]

    def totals(self):
        return self.sums


def _values(row: np.ndarray) -> tuple:
    """A row of vector.evaluate_table as the scalar evaluator's values."""
    return tuple([TRI[v + 1] for v in row.tolist()])


def _bit_count(masks: np.ndarray) -> np.ndarray:
    return np.bitwise_count(masks.astype(np.uint64)).astype(np.int64)


def _same_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first of each kind of row, and each row's kind: rows told apart by a hash of their
    numbers, checked (rows that only share a hash are told apart exactly)."""
    hashed = np.zeros(len(rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in rows.T:
            hashed = hashed * np.uint64(1_000_003) + column.astype(np.uint64)
    _, first, inverse = np.unique(hashed, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if not (rows == rows[first[inverse]]).all():
        void = rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel()
        _, first, inverse = np.unique(void, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
    return first, inverse


def _whole(x: np.ndarray) -> np.ndarray:
    """Amounts that are whole numbers, small enough to add up exactly in any order."""
    return (np.floor(x) == x) & (np.abs(x) < 2.0**52)
