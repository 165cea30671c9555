"""The same compiled tests, evaluated over a numpy table of many profiles at once.

Three values as two boolean arrays per test: `t` (true) and `f` (false); a row that is
in neither is unknown. Kleene logic then becomes plain array algebra: `a and b` is
true where both are true and false where either is false. The trees are the bound
trees of `engine/rules.py`, so per-person and vectorised evaluation share one source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from datetime import date

from ..rules.expression import AddMonths, And, Arith, Call, Compare, Const, FactRef, Member, Not, Or, Said, add_months
from .compiled import Rules

_OPS = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
        "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}


@dataclass
class Column:
    kind: str  # bool | number | text | set | date
    values: np.ndarray  # bool / float / int codes / bool matrix / day ordinals (int64)
    known: np.ndarray
    vocabulary: tuple[str, ...] = ()
    _held: np.ndarray | None = None
    # a set column may instead be kept as each row's option (an index into `options`, the
    # distinct sets drawn, as vocabulary indexes): tests then read per option, not per code
    option_of_row: np.ndarray | None = None
    options: tuple = ()

    def held(self) -> np.ndarray:
        """For a set column: how many codes each person holds (counted once)."""
        if self._held is None:
            if self.option_of_row is not None:
                sizes = np.array([len(o) for o in self.options] + [0], dtype=np.int64)
                self._held = sizes[np.where(self.known, self.option_of_row, len(self.options))]
            else:
                self._held = self.values.sum(axis=1)
        return self._held

    def count_in(self, codes: np.ndarray) -> np.ndarray:
        """For a set column: how many of `codes` (vocabulary indexes) each person holds."""
        if self.option_of_row is not None:
            wanted = set(codes.tolist())
            per_option = np.array([len(wanted & set(o)) for o in self.options] + [0], dtype=np.int64)
            return per_option[np.where(self.known, self.option_of_row, len(self.options))]
        return self.values[:, codes].sum(axis=1) if len(codes) else np.zeros(len(self.known), dtype=np.int64)


class ProfileTable:
    """Columns of profile facts, built from checked profiles' flat facts."""

    def __init__(self, facts: Sequence[Mapping[str, Any]], definitions: Mapping[str, Any], vocabularies: Mapping[str, frozenset]):
        self.n = n = len(facts)
        self.columns: dict[str, Column] = {}
        self.memo: dict = {}  # bound test -> its (true, false) arrays over this table
        # each profile's known facts, read once: the rows that know each fact, and their values
        rows: dict[str, list[int]] = {name: [] for name in definitions}
        given: dict[str, list] = {name: [] for name in definitions}
        for row, f in enumerate(facts):
            for name, v in f.items():
                if v is not None and name in rows:
                    rows[name].append(row)
                    given[name].append(v)
        for name, d in definitions.items():
            at, column = np.array(rows[name], dtype=np.intp), given[name]
            known = np.zeros(n, dtype=bool)
            known[at] = True
            if d.type == "bool":
                values = np.zeros(n, dtype=bool)
                values[at] = np.array([bool(v) for v in column], dtype=bool)
                self.columns[name] = Column("bool", values, known)
            elif d.type == "date":
                ordinals = np.full(n, -1, dtype=np.int64)
                ordinals[at] = np.array([v.toordinal() for v in column], dtype=np.int64)
                self.columns[name] = Column("date", ordinals, known)
            elif d.type == "number":
                numbers = np.full(n, np.nan, dtype=float)
                numbers[at] = np.array(column, dtype=float)
                self.columns[name] = Column("number", numbers, known)
            elif d.type in ("enum", "set", "codes"):
                vocab = tuple(sorted(vocabularies[d.vocabulary] if d.vocabulary else d.values))
                index = {v: i for i, v in enumerate(vocab)}
                if d.type == "enum":
                    codes = np.full(n, -1, dtype=np.int32)
                    codes[at] = np.array([index[v] for v in column], dtype=np.int32)
                    self.columns[name] = Column("text", codes, known, vocab)
                else:
                    matrix = np.zeros((n, len(vocab)), dtype=bool)
                    for row, items in zip(rows[name], column):
                        for item in items:
                            matrix[row, index[item]] = True
                    self.columns[name] = Column("set", np.asfortranarray(matrix), known, vocab)


class _Vector:
    def __init__(self, table: ProfileTable):
        self.table = table

    def bool3(self, node):
        result = self.visit(node)
        if isinstance(result, tuple):
            return result
        value = bool(result)
        full = np.ones(self.table.n, dtype=bool)
        return (full, ~full) if value else (~full, full)

    def visit(self, node):
        return getattr(self, "v_" + type(node).__name__)(node)

    def v_Const(self, node):
        # a date compares with a date column as its day number
        return node.value.toordinal() if isinstance(node.value, date) else node.value

    def v_Said(self, node):
        known = self.table.columns[node.name].known
        return (known.copy(), ~known)

    def v_AddMonths(self, node):
        column = self.visit(node.operand)
        if not isinstance(column, Column):  # a constant date, moved once
            return add_months(date.fromordinal(column), node.months).toordinal()
        moved = {d: add_months(date.fromordinal(int(d)), node.months).toordinal() for d in np.unique(column.values[column.known])}
        values = np.array([moved[v] if k else -1 for v, k in zip(column.values.tolist(), column.known.tolist())], dtype=np.int64)
        return Column("date", values, column.known)

    def v_FactRef(self, node):
        column = self.table.columns[node.name]
        if column.kind == "bool":
            return (column.values & column.known, ~column.values & column.known)
        return column

    def v_Not(self, node):
        t, f = self.bool3(node.operand)
        return (f, t)

    def v_And(self, node):
        pairs = [self.bool3(o) for o in node.operands]
        return (np.logical_and.reduce([t for t, _ in pairs]), np.logical_or.reduce([f for _, f in pairs]))

    def v_Or(self, node):
        pairs = [self.bool3(o) for o in node.operands]
        return (np.logical_or.reduce([t for t, _ in pairs]), np.logical_and.reduce([f for _, f in pairs]))

    def _operand(self, node):
        """(values, known) for numbers, bools and text codes; text constants stay str."""
        value = self.visit(node)
        if isinstance(value, Column):
            return value.values, value.known, value
        if isinstance(value, tuple):  # a bool3 pair
            t, f = value
            return t, t | f, None
        return value, np.ones(self.table.n, dtype=bool), None

    def v_Compare(self, node):
        (a, ka, ca), (b, kb, cb) = self._operand(node.left), self._operand(node.right)
        a, b = self._codes(a, cb), self._codes(b, ca)
        result = _OPS[node.op](a, b)
        known = ka & kb
        return (known & result, known & ~result)

    @staticmethod
    def _codes(value, other: Column | None):
        """A text constant compared with a text column becomes that column's code."""
        if isinstance(value, str) and other is not None:
            return other.vocabulary.index(value) if value in other.vocabulary else -2
        return value

    def v_Member(self, node):
        container = self.visit(node.container)
        if isinstance(container, Column):  # 'step3' in usmle_passed
            item = node.item.value
            present = (container.count_in(np.array([container.vocabulary.index(item)])) > 0
                       if item in container.vocabulary else np.zeros(self.table.n, bool))
            t, f = container.known & present, container.known & ~present
        else:  # stage in ['student', ...]
            values, known, column = self._operand(node.item)
            if column is not None:
                codes = [column.vocabulary.index(v) for v in container if v in column.vocabulary]
                present = np.isin(values, codes)
            else:
                present = np.full(self.table.n, values in container)
            t, f = known & present, known & ~present
        return (f, t) if node.negate else (t, f)

    def v_Arith(self, node):
        (a, ka, _), (b, kb, _) = self._operand(node.left), self._operand(node.right)
        known = ka & kb
        with np.errstate(divide="ignore", invalid="ignore"):
            values = _OPS[node.op](a, b)
        return Column("number", np.where(known, values, np.nan), known)

    def v_Call(self, node):
        column, members = self.visit(node.args[0]), node.args[1].value
        inside = np.nonzero([v in members for v in column.vocabulary])[0]
        # only the listed codes are read (the matrix is column-major, or kept per option): a
        # person holds a code or two of some 250, so counting beats scanning every code outside
        listed = column.count_in(inside)
        if node.function == "any_in":
            result = listed > 0
        else:  # every held code is on the list
            result = listed == column.held()
        return (column.known & result, column.known & ~result)


def truths(rules: Rules, table: ProfileTable):
    """slot -> the rows where that test is true, each test evaluated once per table (a baseline
    and a reform share most of theirs): what `open` needs, every requirement true."""
    vector, memo = _Vector(table), table.memo

    def true(slot: int) -> np.ndarray:
        tree = rules.trees[slot]
        found = memo.get(tree)
        if found is None:
            found = memo[tree] = vector.bool3(tree)
        return found[0]

    return true


def evaluate_table(rules: Rules, table: ProfileTable, slots=None) -> np.ndarray:
    """Values of the compiled tests (every one, or only `slots`) for every row: 1 true, 0 false,
    -1 unknown (and -1 in the columns of tests not asked for)."""
    vector = _Vector(table)
    out = np.full((table.n, len(rules.trees)), -1, dtype=np.int8)
    memo = table.memo  # a baseline and a reform share most tests: each is evaluated once per table
    for slot in (range(len(rules.trees)) if slots is None else slots):
        tree = rules.trees[slot]
        found = memo.get(tree)
        if found is None:
            found = memo[tree] = vector.bool3(tree)
        t, f = found
        out[t, slot] = 1
        out[f, slot] = 0
    return out


STATUS_CODES = ("open", "needs-info", "blocked")


def pathway_statuses(rules: Rules, values: np.ndarray) -> np.ndarray:
    """Status of every pathway (columns, in `rules.pathways` order) for every row:
    0 open, 1 needs-info, 2 blocked; whatever the row's category."""
    out = np.empty((values.shape[0], len(rules.pathways)), dtype=np.int8)
    for j, p in enumerate(rules.pathways):
        slots = [r.slot for r in p.requirements]
        block = values[:, slots]
        out[:, j] = np.where((block == 0).any(axis=1), 2, np.where((block == -1).any(axis=1), 1, 0))
    return out
