"""The expression language: parsing, typing, three-valued logic, and its two compilers."""

from __future__ import annotations

import pytest

from pathways.rules.expression import BindContext, ExpressionError, bind, facts_used, parse
from pathways.rules.scalar import compile_tests
from pathways.rules.schema import FactDefinition

FACTS = {
    "a": FactDefinition(type="bool", question="?", help="."),
    "b": FactDefinition(type="bool", question="?", help="."),
    "years": FactDefinition(type="number", question="?", help="."),
    "stage": FactDefinition(type="enum", values=["student", "graduate"], question="?", help="."),
    "usmle_passed": FactDefinition(type="set", values=["step1", "step2ck", "step3"], question="?", help="."),
    "citizenships": FactDefinition(type="codes", values=["AU", "CA", "MX", "SD", "NG"], question="?", help="."),
}
CTX = BindContext(FACTS, {"full": frozenset({"SD"}), "partial": frozenset({"NG"})}, {"work_authorized": True},
                  lambda f: frozenset(FACTS[f].values) if FACTS[f].values else None)


def run(text: str, profile: dict):
    tree, _ = bind(parse(text), CTX, text)
    return compile_tests([tree])(profile)[0]


@pytest.mark.parametrize("a, b, expected_and, expected_or", [
    (True, True, True, True), (True, False, False, True), (False, None, False, None),
    (None, None, None, None), (True, None, None, True), (None, False, False, None),
])
def test_kleene_and_or(a, b, expected_and, expected_or):
    profile = {k: v for k, v in (("a", a), ("b", b)) if v is not None}
    assert run("a and b", profile) is expected_and
    assert run("a or b", profile) is expected_or


def test_not_of_unknown_is_unknown():
    assert run("not a", {}) is None
    assert run("not a", {"a": True}) is False


def test_comparisons_at_the_threshold():
    assert run("years >= 3", {"years": 3.0}) is True
    assert run("years >= 3", {"years": 2.9}) is False
    assert run("years >= 3", {}) is None


def test_membership_and_lists():
    assert run("'step3' in usmle_passed", {"usmle_passed": frozenset({"step3"})}) is True
    assert run("'step3' in usmle_passed", {"usmle_passed": frozenset()}) is False
    assert run("'step3' not in usmle_passed", {}) is None
    assert run("all_in(citizenships, @full + @partial)", {"citizenships": frozenset({"SD", "NG"})}) is True
    assert run("all_in(citizenships, @full)", {"citizenships": frozenset({"SD", "AU"})}) is False
    assert run("any_in(citizenships, ['CA', 'MX'])", {"citizenships": frozenset({"MX", "SD"})}) is True


def test_arithmetic_and_visa_attributes():
    assert run("years * 7 <= 90", {"years": 12.0}) is True
    assert run("years * 7 <= 90", {"years": 13.0}) is False
    assert run("a or visa.work_authorized", {}) is True


@pytest.mark.parametrize("text, reason", [
    ("years >=", "expected a value"),
    ("stage == 'studnet'", "not a value of stage"),
    ("unknown_fact", "unknown fact"),
    ("@nolist", "unknown list"),
    ("years and a", "must be bool"),
    ("eval('1')", "unknown function"),
    ("a; import os", "unexpected character"),
    ("visa.colour", "unknown visa attribute"),
])
def test_bad_tests_are_refused_with_a_reason(text, reason):
    with pytest.raises(ExpressionError) as error:
        bind(parse(text), CTX, text)
    assert reason in str(error.value)


def test_facts_used_in_order():
    assert facts_used(parse("years >= 3 and (a or 'step1' in usmle_passed) and a")) == ("years", "a", "usmle_passed")
