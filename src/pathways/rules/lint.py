"""Cross-reference checks of a loaded knowledge base, each with file and line.

Schema errors are found by the models; this finds what the models cannot see alone:
citations and references that resolve nowhere, tests that do not parse or name unknown
facts, requirement ids that clash, and contract names without a file.
"""

from __future__ import annotations

from typing import Iterator

from . import schema
from .assembly import fees_for, list_members, order_steps, requirements_for, steps_for
from .binding import bind_context
from .expression import ExpressionError, bind, parse
from .vocabulary import CONTRACT
from .yamlfile import Problem, YamlFile

CITE_KEYS = ("cite", "legal_basis", "takes_cite", "processing_cite")


def lint(kb, files: dict[str, YamlFile]) -> list[Problem]:
    problems: list[Problem] = []
    problems += _citations(kb, files)
    problems += _references(kb, files)
    problems += _expressions(kb, files)
    problems += _country_codes(kb, files)
    problems += _durations(kb, files)
    for kind, names in CONTRACT.items():
        store = getattr(kb, kind)
        codes = {getattr(item, "code", None) for item in store.values()} | set(store)
        for name in names:
            if name not in codes:
                problems.append(Problem(kind, None, f"the contract names {name!r} but no file defines it"))
    return problems


def _walk(data, loc=()) -> Iterator[tuple[tuple, object]]:
    yield loc, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, loc + (i,))


def citing(files, wanted: set | None = None) -> Iterator[tuple[str, int | None, str]]:
    """(file, line, source id) for every citation, or only those of `wanted` sources."""
    for name, file in files.items():
        if name.startswith("sources/"):
            continue
        for loc, value in _walk(file.data):
            if loc and loc[-1] in CITE_KEYS and isinstance(value, list):
                for i, source_id in enumerate(value):
                    if wanted is None or source_id in wanted:
                        yield name, file.line(loc + (i,)), source_id


def _citations(kb, files) -> list[Problem]:
    """Every cite resolves to a source; facts and requirements without one are caught by the schema."""
    return [Problem(name, line, f"citation {source_id!r} resolves to no source in sources/")
            for name, line, source_id in citing(files) if source_id not in kb.sources]


def _where(kb, files, kind: str, key: str, loc: tuple = ()) -> tuple[str, int | None]:
    name = kb.origin.get(f"{kind}:{key}", kind)
    file = files.get(name)
    if file is None:
        return name, None
    # items of list- and map-shaped files sit under their index or key
    if isinstance(file.data, list):
        index = next((i for i, item in enumerate(file.data) if isinstance(item, dict) and item.get("id") == key), None)
        loc = ((index,) if index is not None else ()) + loc
    elif kind in ("sources", "facts"):
        loc = (key,) + loc
    return name, file.line(loc)


def _references(kb, files) -> list[Problem]:
    problems = []

    def missing(kind, key, loc, what, target, store):
        if target not in store:
            name, line = _where(kb, files, kind, key, loc)
            problems.append(Problem(name, line, f"{what} {target!r} does not exist"))

    for pid, p in kb.pathways.items():
        missing("pathways", pid, ("visa",), "visa", p.visa, kb.visas)
        if kb.authorization_of(p) is None:
            name, line = _where(kb, files, "pathways", pid, ("authorization",))
            problems.append(Problem(name, line, f"authorization {p.authorization!r} does not exist in "
                                                f"{p.jurisdiction}/authorizations/"))
        for i, program in enumerate(p.programs):
            missing("pathways", pid, ("programs", i), "program", program, kb.programs)
        authorization = kb.authorization_of(p)
        routes = {r.id for r in authorization.routes} if authorization else set()
        if routes and p.route not in routes:
            name, line = _where(kb, files, "pathways", pid, ("route",))
            problems.append(Problem(name, line, f"route must be one of {sorted(routes)} for authorization {p.authorization}"))
        if not routes and p.route is not None:
            name, line = _where(kb, files, "pathways", pid, ("route",))
            problems.append(Problem(name, line, f"authorization {p.authorization} has no routes"))
    for prog_id, prog in kb.programs.items():
        for i, target in enumerate(prog.pathways):
            missing("programs", prog_id, ("pathways", i), "pathway", target, kb.pathways)
    for bid, barrier in kb.barriers.items():
        for i, target in enumerate(barrier.pathways):
            missing("barriers", bid, ("pathways", i), "pathway", target, kb.pathways)
    for kind in ("enablers", "recommendations"):
        for item_id, item in getattr(kb, kind).items():
            for i, target in enumerate(item.answers):
                missing(kind, item_id, ("answers", i), "barrier", target, kb.barriers)
            for i, target in enumerate(getattr(item, "programs", [])):
                missing(kind, item_id, ("programs", i), "program", target, kb.programs)
    return problems


def _expression_sites(kb):
    """(kind, id, loc, text, visa, lists) for every test and `when` in the base."""
    for i, c in enumerate(kb.categories.values()):
        yield "categories", c.id, ("test",), c.test, None, None
    for code, visa in kb.visas.items():
        yield from _tests("visas", code, (), visa, visa, None)
    for code, auth in kb.authorizations.items():
        yield from _tests("authorizations", code, (), auth, None, None)
        for j, route in enumerate(auth.routes):
            yield from _tests("authorizations", code, ("routes", j), route, None, None)
    for pid, p in kb.pathways.items():
        visa = kb.visas.get(p.visa)
        for i, r in enumerate(p.requirements):
            if isinstance(r, schema.Requirement):
                yield "pathways", pid, ("requirements", i, "test"), r.test, visa, None
        for i, w in enumerate(p.warnings):
            yield "pathways", pid, ("warnings", i, "when"), w.when, visa, None
    for pid, p in kb.pathways.items():
        for i, s in enumerate(p.steps):
            yield "pathways", pid, ("steps", i, "when"), s.when, kb.visas.get(p.visa), None
    for gid, program in kb.programs.items():
        yield "programs", gid, ("takes",), program.takes, None, None
    for eid, event in kb.policies.items():
        for i, effect in enumerate(event.effects):
            if effect.fee:
                yield "policies", eid, ("effects", i, "fee", "when"), effect.fee.when, None, event.lists
            if effect.step:
                yield "policies", eid, ("effects", i, "step", "when"), effect.step.when, None, event.lists
            if effect.requirement:
                yield "policies", eid, ("effects", i, "requirement", "test"), effect.requirement.test, None, event.lists
            if effect.warning:
                yield "policies", eid, ("effects", i, "warning", "when"), effect.warning.when, None, event.lists


def _tests(kind, key, loc, holder, visa, lists):
    for i, r in enumerate(holder.requirements):
        yield kind, key, loc + ("requirements", i, "test"), r.test, visa, lists
        for j, m in enumerate(r.met_by):
            yield kind, key, loc + ("requirements", i, "met_by", j, "when"), m.when, visa, lists
    for i, w in enumerate(holder.warnings):
        yield kind, key, loc + ("warnings", i, "when"), w.when, visa, lists
    for i, s in enumerate(getattr(holder, "steps", [])):
        yield kind, key, loc + ("steps", i, "when"), s.when, visa, lists
    for i, f in enumerate(getattr(holder, "fees", [])):
        yield kind, key, loc + ("fees", i, "when"), f.when, visa, lists


def _plans(kb, files) -> list[Problem]:
    """Each pathway's steps resolve and do not wait in a cycle; every fee a step pays exists."""
    problems = []
    for pid, p in kb.pathways.items():
        steps, clashes = steps_for(kb, p, kb.policies.values())
        _, _, order_problems = order_steps(steps)
        fee_ids = {f.id for f in fees_for(kb, p, kb.policies.values(), None)}
        unknown_fees = sorted({fee for s in steps for fee in s.fees} - fee_ids - _event_fee_ids(kb))
        name, line = _where(kb, files, "pathways", pid, ())
        for message in clashes + order_problems + [f"a step pays fee {f!r}, which no visa, authorization or event of this pathway defines" for f in unknown_fees]:
            problems.append(Problem(name, line, message))
    return problems


def _all_steps(kb):
    """(kind, id, loc, step) for every step of the base."""
    for code, visa in kb.visas.items():
        yield from (("visas", code, ("steps", i), s) for i, s in enumerate(visa.steps))
    for code, auth in kb.authorizations.items():
        yield from (("authorizations", code, ("steps", i), s) for i, s in enumerate(auth.steps))
        for j, route in enumerate(auth.routes):
            yield from (("authorizations", code, ("routes", j, "steps", i), s) for i, s in enumerate(route.steps))
    for pid, p in kb.pathways.items():
        yield from (("pathways", pid, ("steps", i), s) for i, s in enumerate(p.steps))
    for eid, event in kb.policies.items():
        yield from (("policies", eid, ("effects", i, "step"), e.step) for i, e in enumerate(event.effects) if e.step)


def _durations(kb, files) -> list[Problem]:
    """Every step gives its typical time (a plan is made with it); a consular wait names a
    class that every snapshot defines; a snapshot's posts are in countries that exist."""
    problems = []
    classes = [{c.id for c in w.classes} for w in kb.consular_waits.values()]
    for kind, key, loc, step in _all_steps(kb):
        if step.weeks.typical is None:
            name, line = _where(kb, files, kind, key, loc + ("weeks",))
            problems.append(Problem(name, line, f"step {step.id!r}: weeks needs `typical` (with its source) beside min and max"))
        if step.consular_wait and any(step.consular_wait not in c for c in classes):
            name, line = _where(kb, files, kind, key, loc + ("consular_wait",))
            problems.append(Problem(name, line, f"step {step.id!r}: consular-wait class {step.consular_wait!r} is not in every snapshot"))
    countries = list_members(kb.lists["countries"], None) if "countries" in kb.lists else None
    for wid, waits in kb.consular_waits.items():
        known = {c.id for c in waits.classes}
        for i, post in enumerate(waits.posts):
            bad = sorted(set(post.weeks) - known)
            if bad or (countries is not None and post.country not in countries):
                name, line = _where(kb, files, "consular_waits", wid, ("posts", i))
                what = f"class {bad[0]!r} is not among the snapshot's classes" if bad else f"{post.country!r} is not a country code"
                problems.append(Problem(name, line, f"post {post.post}: {what}"))
    return problems


def _event_fee_ids(kb) -> set[str]:
    """Fees that a policy event defines for some visa at some time."""
    return {e.fee.id for event in kb.policies.values() for e in event.effects if e.fee}


def _expressions(kb, files) -> list[Problem]:
    problems = []
    for kind, key, loc, text, visa, lists in _expression_sites(kb):
        try:
            bind(parse(text), bind_context(kb, visa, lists), text)
        except ExpressionError as error:
            name, line = _where(kb, files, kind, key, loc)
            problems.append(Problem(name, line, f"test: {error}"))
    problems += _plans(kb, files)
    # Requirements merged into each pathway, with every event that could ever apply.
    for pid, p in kb.pathways.items():
        _, conflicts = requirements_for(kb, p, kb.policies.values())
        for conflict in conflicts:
            name, line = _where(kb, files, "pathways", pid, ("requirements",))
            problems.append(Problem(name, line, conflict))
        if not any(isinstance(r, schema.Use) and r.use == "visa" for r in p.requirements):
            name, line = _where(kb, files, "pathways", pid, ("requirements",))
            problems.append(Problem(name, line, "a pathway must `use: visa` (its visa's requirements apply)"))
        if not any(isinstance(r, schema.Use) and r.use == "authorization" for r in p.requirements):
            name, line = _where(kb, files, "pathways", pid, ("requirements",))
            problems.append(Problem(name, line, "a pathway must `use: authorization`"))
    return problems


def _country_codes(kb, files) -> list[Problem]:
    if "countries" not in kb.lists:
        return [Problem("world/countries.yaml", None, "the list of country codes is missing")]
    countries = list_members(kb.lists["countries"], None)
    problems = []
    for key, code_list in kb.lists.items():
        for i, m in enumerate(code_list.members):
            if key != "countries" and m.code not in countries:
                name, line = _where(kb, files, "lists", key, ("members", i))
                problems.append(Problem(name, line, f"{m.code!r} is not an ISO 3166-1 alpha-2 code"))
    for eid, event in kb.policies.items():
        for list_name, codes in event.lists.items():
            for i, code in enumerate(codes):
                if code not in countries:
                    name, line = _where(kb, files, "policies", eid, ("lists", list_name, i))
                    problems.append(Problem(name, line, f"{code!r} is not an ISO 3166-1 alpha-2 code"))
    return problems
