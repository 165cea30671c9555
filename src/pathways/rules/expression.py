"""The small expression language of requirement tests, parsed safely (never `eval`).

    postgraduate_years >= 3
    'step3' in usmle_passed and host.acgme_position
    not all_in(citizenships, @full + @partial)
    not said(research_scholar_program_ended_on) or add_months(research_scholar_program_ended_on, 24) <= as_of

`said(fact)` is true when the profile gives the fact and false when it leaves it out (never
unknown): for facts whose absence itself means something (a green card is said by whoever
holds one; a date left out because there was never such a programme). `as_of` is the day of
the evaluation; `add_months(date, n)` moves a date by whole calendar months.

`parse` turns text into a tree of nodes; `bind` checks it against the profile facts
and replaces `@list` and `visa.*` names by constants for one date and one pathway.
The bound tree is then compiled twice from the same source: to Python code for one
person (`rules/scalar.py`) and to numpy operations over a table of people
(`engine/vector.py`).
"""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass
from typing import Any, Callable, Mapping

# ---------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Const:
    value: Any  # bool, float, str or frozenset of str


@dataclass(frozen=True)
class FactRef:
    name: str


@dataclass(frozen=True)
class ListRef:
    name: str


@dataclass(frozen=True)
class VisaAttr:
    name: str


@dataclass(frozen=True)
class Not:
    operand: Any


@dataclass(frozen=True)
class And:
    operands: tuple


@dataclass(frozen=True)
class Or:
    operands: tuple


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: Any
    right: Any


@dataclass(frozen=True)
class Member:
    item: Any
    container: Any
    negate: bool = False


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: Any
    right: Any


@dataclass(frozen=True)
class Call:
    function: str  # any_in | all_in
    args: tuple


@dataclass(frozen=True)
class Said:
    name: str  # the fact: true when the profile gives it, false when not (never unknown)


@dataclass(frozen=True)
class AddMonths:
    operand: Any  # a date
    months: int


FUNCTIONS = ("any_in", "all_in", "said", "add_months")
ARITY = {"said": 1}


class ExpressionError(ValueError):
    """A test that cannot be parsed or does not fit the profile facts."""

    def __init__(self, message: str, text: str, position: int | None = None):
        where = f" at column {position + 1}" if position is not None else ""
        super().__init__(f"{message}{where} in `{text}`")
        self.reason = message


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<num>\d+(?:\.\d+)?)"
    r"|'(?P<str>[^']*)'"
    r"|(?P<list>@[a-z0-9][a-z0-9\-]*)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\+|-|\*|/)"
    r")"
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}


def _tokenize(text: str) -> list[tuple[str, Any, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError("unexpected character", text, pos)
        start = match.start(match.lastgroup)
        kind, value = match.lastgroup, match.group(match.lastgroup)
        if kind == "name" and value in _KEYWORDS:
            kind = value
        tokens.append((kind, value, start))
        pos = match.end()
    tokens.append(("end", None, len(text)))
    return tokens


# ---------------------------------------------------------------- parser


class _Parser:
    """Recursive descent: or > and > not > comparison > sum > product > atom."""

    def __init__(self, text: str):
        self.text, self.tokens, self.i = text, _tokenize(text), 0

    def peek(self, *kinds: str) -> bool:
        kind, value, _ = self.tokens[self.i]
        return kind in kinds or (kind == "op" and value in kinds)

    def take(self, *kinds: str):
        if not self.peek(*kinds):
            kind, value, pos = self.tokens[self.i]
            found = "the end" if kind == "end" else repr(value)
            raise ExpressionError(f"expected {' or '.join(kinds)}, found {found}", self.text, pos)
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self):
        node = self.disjunction()
        self.take("end")
        return node

    def disjunction(self):
        items = [self.conjunction()]
        while self.peek("or"):
            self.take("or")
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self):
        items = [self.negation()]
        while self.peek("and"):
            self.take("and")
            items.append(self.negation())
        return items[0] if len(items) == 1 else And(tuple(items))

    def negation(self):
        if self.peek("not"):
            self.take("not")
            return Not(self.negation())
        return self.comparison()

    def comparison(self):
        left = self.sum()
        if self.peek("==", "!=", "<", "<=", ">", ">="):
            op = self.take("op")[1]
            return Compare(op, left, self.sum())
        if self.peek("in"):
            self.take("in")
            return Member(left, self.sum())
        if self.peek("not") and self.tokens[self.i + 1][0] == "in":
            self.take("not")
            self.take("in")
            return Member(left, self.sum(), negate=True)
        return left

    def sum(self):
        node = self.product()
        while self.peek("+", "-"):
            op = self.take("op")[1]
            node = Arith(op, node, self.product())
        return node

    def product(self):
        node = self.atom()
        while self.peek("*", "/"):
            op = self.take("op")[1]
            node = Arith(op, node, self.atom())
        return node

    def atom(self):
        kind, value, pos = self.tokens[self.i]
        if kind == "num":
            self.i += 1
            return Const(float(value))
        if kind == "str":
            self.i += 1
            return Const(value)
        if kind in ("true", "false"):
            self.i += 1
            return Const(kind == "true")
        if kind == "list":
            self.i += 1
            return ListRef(value[1:])
        if kind == "name":
            self.i += 1
            if self.peek("("):
                return self.call(value, pos)
            if value.startswith("visa."):
                return VisaAttr(value[5:])
            return FactRef(value)
        if self.peek("("):
            self.take("(")
            node = self.disjunction()
            self.take(")")
            return node
        if self.peek("["):
            return self.list_literal()
        found = "the end" if kind == "end" else repr(value)
        raise ExpressionError(f"expected a value, found {found}", self.text, pos)

    def call(self, name: str, pos: int):
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r} (known: {', '.join(FUNCTIONS)})", self.text, pos)
        self.take("(")
        args = [self.disjunction()]
        while self.peek(","):
            self.take(",")
            args.append(self.disjunction())
        self.take(")")
        if len(args) != ARITY.get(name, 2):
            count = ARITY.get(name, 2)
            raise ExpressionError(f"{name} takes {'one argument' if count == 1 else 'two arguments'}", self.text, pos)
        return Call(name, tuple(args))

    def list_literal(self):
        self.take("[")
        items = []
        while not self.peek("]"):
            kind, value, pos = self.take("str")
            items.append(value)
            if not self.peek("]"):
                self.take(",")
        self.take("]")
        return Const(frozenset(items))


def parse(text: str):
    """Parse a test into a node tree; raises ExpressionError with the column."""
    return _Parser(str(text)).parse()


# ---------------------------------------------------------------- binding and types

BOOL, NUMBER, TEXT, SET, DATE = "bool", "number", "text", "set", "date"
_FACT_KINDS = {"bool": BOOL, "number": NUMBER, "enum": TEXT, "codes": SET, "set": SET, "date": DATE}


@dataclass(frozen=True)
class BindContext:
    """What names mean for one compilation: facts, code lists at a date, the visa."""

    facts: Mapping[str, Any]  # name -> FactDefinition
    lists: Mapping[str, frozenset]  # @name -> codes
    visa: Mapping[str, Any]  # visa.<name> -> value
    allowed_values: Callable[[str], frozenset | None]  # fact -> accepted text values
    as_of: date = date(2000, 1, 1)  # the day of the evaluation; any day will do for the lints


def bind(node, ctx: BindContext, text: str):
    """Resolve @lists and visa.* to constants and check types; returns (node, kind)."""
    return _Binder(ctx, text).visit(node)


class _Binder:
    def __init__(self, ctx: BindContext, text: str):
        self.ctx, self.text = ctx, text

    def fail(self, message: str):
        raise ExpressionError(message, self.text)

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__)
        return method(node)

    def visit_Const(self, node):
        value = node.value
        kind = BOOL if isinstance(value, bool) else NUMBER if isinstance(value, float) else SET if isinstance(value, frozenset) \
            else DATE if isinstance(value, date) else TEXT
        return node, kind

    def visit_FactRef(self, node):
        definition = self.ctx.facts.get(node.name)
        if definition is None and node.name == "as_of":
            return Const(self.ctx.as_of), DATE
        if definition is None:
            self.fail(f"unknown fact {node.name!r}")
        return node, _FACT_KINDS[definition.type]

    def visit_ListRef(self, node):
        if node.name not in self.ctx.lists:
            self.fail(f"unknown list @{node.name}")
        return Const(self.ctx.lists[node.name]), SET

    def visit_VisaAttr(self, node):
        if node.name not in self.ctx.visa:
            self.fail(f"unknown visa attribute visa.{node.name}")
        value = self.ctx.visa[node.name]
        return Const(value), BOOL if isinstance(value, bool) else TEXT

    def expect(self, node, kind: str, role: str):
        bound, got = self.visit(node)
        if got != kind:
            self.fail(f"{role} must be {kind}, not {got}")
        return bound

    def visit_Not(self, node):
        return Not(self.expect(node.operand, BOOL, "the operand of not")), BOOL

    def visit_And(self, node):
        return And(tuple(self.expect(o, BOOL, "an operand of and") for o in node.operands)), BOOL

    def visit_Or(self, node):
        return Or(tuple(self.expect(o, BOOL, "an operand of or") for o in node.operands)), BOOL

    def visit_Compare(self, node):
        left, lk = self.visit(node.left)
        right, rk = self.visit(node.right)
        if lk != rk or lk == SET:
            self.fail(f"cannot compare {lk} with {rk}")
        if lk in (TEXT, BOOL) and node.op not in ("==", "!="):
            self.fail(f"{node.op} needs numbers")
        self.check_values(left, right)
        self.check_values(right, left)
        return Compare(node.op, left, right), BOOL

    def check_values(self, fact, const):
        """Catch typos such as stage == 'studnet' at load time."""
        if isinstance(fact, FactRef) and isinstance(const, Const) and isinstance(const.value, str):
            allowed = self.ctx.allowed_values(fact.name)
            if allowed is not None and const.value not in allowed:
                self.fail(f"{const.value!r} is not a value of {fact.name} (accepted: {', '.join(sorted(allowed))})")

    def visit_Member(self, node):
        item, ik = self.visit(node.item)
        container, ck = self.visit(node.container)
        if ck != SET or ik != TEXT:
            self.fail("`in` needs a text on the left and a list or set on the right")
        if isinstance(container, FactRef) and not isinstance(item, Const):
            self.fail("`in` a set-valued fact needs a literal on the left")
        if isinstance(container, FactRef):
            self.check_values(container, item)
        return Member(item, container, node.negate), BOOL

    def visit_Arith(self, node):
        left, lk = self.visit(node.left)
        right, rk = self.visit(node.right)
        if node.op == "+" and lk == rk == SET and isinstance(left, Const) and isinstance(right, Const):
            return Const(left.value | right.value), SET
        if lk != NUMBER or rk != NUMBER:
            self.fail(f"{node.op} needs numbers (or two lists for +)")
        return Arith(node.op, left, right), NUMBER

    def visit_Call(self, node):
        if node.function == "said":
            fact = node.args[0]
            if not isinstance(fact, FactRef) or fact.name not in self.ctx.facts:
                self.fail("said takes the name of a profile fact")
            if not getattr(self.ctx.facts[fact.name], "absent", None):
                # an unknown must stay unknown unless facts.yaml says what leaving it out means
                self.fail(f"said({fact.name}) needs `absent:` in facts.yaml: what leaving {fact.name} out means")
            return Said(fact.name), BOOL
        if node.function == "add_months":
            day = self.expect(node.args[0], DATE, "the first argument of add_months")
            months = node.args[1]
            if not (isinstance(months, Const) and isinstance(months.value, float) and months.value.is_integer()):
                self.fail("add_months takes a whole number of months as its second argument")
            return AddMonths(day, int(months.value)), DATE
        subject, sk = self.visit(node.args[0])
        target, tk = self.visit(node.args[1])
        if not isinstance(subject, FactRef) or sk != SET or tk != SET or not isinstance(target, Const):
            self.fail(f"{node.function} takes a set-valued fact and a list")
        return Call(node.function, (subject, target)), BOOL


def facts_used(node) -> tuple[str, ...]:
    """The profile facts a (bound or unbound) tree reads, in order of first use."""
    seen: dict[str, None] = {}

    def walk(n):
        if isinstance(n, (FactRef, Said)):
            seen.setdefault(n.name)
        elif isinstance(n, (Not, AddMonths)):
            walk(n.operand)
        elif isinstance(n, (And, Or)):
            for o in n.operands:
                walk(o)
        elif isinstance(n, (Compare, Arith)):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Member):
            walk(n.item)
            walk(n.container)
        elif isinstance(n, Call):
            for a in n.args:
                walk(a)

    walk(node)
    return tuple(seen)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), the month's last day when it has no such day."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
