"""A block of profiles as the batch's composers read it (issue 16).

`Rows`: some rows of a block's profile table (vector.ProfileTable): whether each knows a fact,
a number for each one's value of a fact (the same in every block), and the tests' values with
nothing arranged. `_Block`: what the block's lines say, as arrays by person and by (person,
pathway). `_Shape`: what the composers read of a pathway, as arrays of test slots.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .sentinels import TemplateError, _values


class _Shape(NamedTuple):
    """What the composer reads of a pathway, as arrays of test slots."""

    pathway: object
    slots: np.ndarray  # the requirements' tests
    bits: np.ndarray  # 2**k: which requirements (unmet, or unknown) as one number
    eligibility: np.ndarray  # the eligibility requirements' tests (one unmet: not within reach)
    theirs: np.ndarray  # tests of requirements on who the person is (one unmet: for others)
    steps: np.ndarray  # the steps' `when` tests
    owed: np.ndarray  # the steps' and fees' `when` tests (costs.fee_items reads them)
    facts: tuple  # the facts the requirements read


class Rows:
    """Some rows of a block's profile table (vector.ProfileTable), as the composers read them."""

    def __init__(self, table, rows: np.ndarray, rules, registry: dict | None = None):
        self.table, self.rows, self.rules = table, rows, rules
        self.registry = {} if registry is None else registry  # fact -> {a value's bytes: its number}, kept
        self._ids: dict = {}

    def known(self, fact: str) -> np.ndarray:
        """Whether each row knows the fact."""
        return self.table.columns[fact].known[self.rows]

    def ids(self, fact: str) -> np.ndarray:
        """A number for each row's value of the fact: the same number, the same value (or unknown),
        in every block (numbered in `registry`)."""
        found = self._ids.get(fact)
        if found is None:
            column = self.table.columns[fact]
            if column.option_of_row is not None:
                raise TemplateError("sets kept as options are numbered per table")
            values = column.values[self.rows]
            if column.kind == "set":
                values = np.packbits(values, axis=1)
            values = np.ascontiguousarray(values.reshape(len(self.rows), -1))
            known = column.known[self.rows].astype(np.uint8)[:, None]
            matrix = np.ascontiguousarray(np.concatenate([known, values.view(np.uint8)], axis=1))
            unique, inverse = np.unique(matrix.view(np.dtype((np.void, matrix.shape[1]))).ravel(), return_inverse=True)
            numbers = self.registry.setdefault(fact, {})
            ids = np.array([numbers.setdefault(u.tobytes(), len(numbers)) for u in unique], dtype=np.int64)
            found = self._ids[fact] = ids[inverse.reshape(-1)]
        return found

    def unarranged(self) -> np.ndarray:
        """The tests' values of each row with nothing arranged yet (Builder._unarranged)."""
        import copy
        from dataclasses import replace

        from .vector import evaluate_table

        blank = copy.copy(self.table)
        blank.memo = {}
        blank.columns = {name: replace(column, known=np.zeros_like(column.known), _held=None)
                         if name in self.rules.arrangement_facts else column for name, column in self.table.columns.items()}
        return evaluate_table(self.rules, blank)[self.rows]


class _Block(NamedTuple):
    """A block of people: by person (m), and by (person, pathway) (m x J, in the rules' order of
    pathways); then the pairs shown, in the lines' order (rows, places ks, pathways cols)."""

    profiles: list
    values: np.ndarray
    known: "Rows"
    category: np.ndarray
    start: np.ndarray  # day number, -1: none
    dated: np.ndarray
    wanted: np.ndarray  # the least patient contact wanted, as a rank
    unmet_ids: np.ndarray  # bits: requirements unmet
    unknown_ids: np.ndarray
    unmet: np.ndarray  # how many
    unknown: np.ndarray
    status: np.ndarray  # 0 open, 1 needs-info, 2 blocked
    reach: np.ndarray  # within reach (no eligibility requirement unmet)
    others: np.ndarray  # for others (closed by who the person is)
    plans: np.ndarray  # the pathway's layout (a number in _layout_list)
    layout: np.ndarray  # ... as the kind of its timeline
    fees: np.ndarray  # the kind of its fees owed
    order: np.ndarray  # each row's pathways in the line's order
    count: np.ndarray  # how many pathways each line shows
    begin_by: np.ndarray
    begin_by_safe: np.ndarray
    can: np.ndarray  # can start: 0 yes, 1 likely, 2 only-if-fast, 3 no, 4 no start date
    late: np.ndarray
    arrive: np.ndarray  # the stay's first day
    rows: np.ndarray
    ks: np.ndarray
    cols: np.ndarray
    memo: dict  # row -> its values as the scalar evaluator's (_values), made once

    def row(self, i: int) -> tuple:
        found = self.memo.get(i)
        if found is None:
            found = self.memo[i] = _values(self.values[i])
        return found
