"""Compile bound expression trees into one Python function for one person.

The trees come from `expression.parse` + `bind`, which accept only facts, constants and
a fixed set of operators, so the generated source contains nothing but local names,
constants held in a tuple, and the operators below. Values are three-valued: True,
False or None (unknown), with Kleene logic for and/or/not.

All tests of a rule set compile into a single function that reads each fact once and
returns a tuple of results: one call per person instead of one per requirement, which
is what keeps a full evaluation within tens of microseconds.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .expression import AddMonths, And, Arith, Call, Compare, Const, FactRef, Member, Not, Or, Said, add_months


class _Codegen:
    def __init__(self):
        self.constants: list = []
        self.facts: dict[str, str] = {}
        self.temps = 0

    def temp(self) -> str:
        self.temps += 1
        return f"_t{self.temps}"

    def fact(self, name: str) -> str:
        if name not in self.facts:
            self.facts[name] = f"_f{len(self.facts)}"
        return self.facts[name]

    def const(self, value) -> str:
        if isinstance(value, (bool, float, int)) or value is None:
            return repr(value)
        self.constants.append(value)
        return f"_k[{len(self.constants) - 1}]"

    def gen(self, node) -> str:
        return getattr(self, "gen_" + type(node).__name__)(node)

    def gen_Const(self, node):
        return self.const(node.value)

    def gen_FactRef(self, node):
        return self.fact(node.name)

    def gen_Not(self, node):
        t = self.temp()
        return f"(None if ({t} := {self.gen(node.operand)}) is None else not {t})"

    def _kleene(self, node, decisive: bool) -> str:
        temps = [self.temp() for _ in node.operands]
        first = " or ".join(f"({t} := {self.gen(o)}) is {decisive}" for t, o in zip(temps, node.operands))
        unknown = " or ".join(f"{t} is None" for t in temps)
        return f"({decisive} if {first} else (None if {unknown} else {not decisive}))"

    def gen_And(self, node):
        return self._kleene(node, False)

    def gen_Or(self, node):
        return self._kleene(node, True)

    def _strict(self, left: str, right: str, combine: str, nodes) -> str:
        """Unknown if any operand is unknown, else `combine` of the operand values."""
        checks, names = [], []
        for code, node in zip((left, right), nodes):
            if isinstance(node, Const):
                names.append(code)
            else:
                t = self.temp()
                checks.append(f"({t} := {code}) is None")
                names.append(t)
        expr = combine.format(*names)
        return f"(None if {' or '.join(checks)} else {expr})" if checks else f"({expr})"

    def gen_Compare(self, node):
        return self._strict(self.gen(node.left), self.gen(node.right), "{0} %s {1}" % node.op, (node.left, node.right))

    def gen_Arith(self, node):
        return self._strict(self.gen(node.left), self.gen(node.right), "{0} %s {1}" % node.op, (node.left, node.right))

    def gen_Member(self, node):
        op = "not in" if node.negate else "in"
        return self._strict(self.gen(node.item), self.gen(node.container), "{0} %s {1}" % op, (node.item, node.container))

    def gen_Said(self, node):
        return f"({self.fact(node.name)} is not None)"

    def gen_AddMonths(self, node):
        t = self.temp()
        return f"(None if ({t} := {self.gen(node.operand)}) is None else {self.const(add_months)}({t}, {node.months}))"

    def gen_Call(self, node):
        subject, target = node.args
        combine = "not {0}.isdisjoint({1})" if node.function == "any_in" else "{0} <= {1}"
        return self._strict(self.gen(subject), self.gen(target), combine, (subject, target))


def compile_tests(trees: Sequence) -> Callable[[dict], tuple]:
    """One function: profile facts (flat dict, sets as frozensets) -> tuple of results."""
    gen = _Codegen()
    bodies = [gen.gen(tree) for tree in trees]
    lines = ["def _evaluate(p, _k):", "    g = p.get"]
    lines += [f"    {var} = g({name!r})" for name, var in gen.facts.items()]
    lines.append("    return (" + "".join(f"{b}, " for b in bodies) + ")")
    namespace: dict = {}
    # The source is generated from validated trees only: names are our own locals,
    # values are constants; no text from a knowledge file reaches it verbatim.
    exec(compile("\n".join(lines), "<pathways rules>", "exec"), namespace)  # noqa: S102
    evaluate, constants = namespace["_evaluate"], tuple(gen.constants)
    return lambda profile: evaluate(profile, constants)
