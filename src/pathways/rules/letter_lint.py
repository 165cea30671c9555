"""Lints of the letter kinds, run by `pathways kb check`: every template parses and reads only
declared fields, every signer is a person field, every citation resolves, and every pathway,
visa, authorization and plan step a letter says it serves exists."""

from __future__ import annotations

from pathlib import Path

from .assembly import steps_for
from .letter import PERSON_PARTS, PROVIDED, LetterKind, letter_files, read_letters
from .letter_template import names_read, problem
from .lint import citing
from .yamlfile import Problem


def _declared(name: str, kind: LetterKind, facts) -> bool:
    if name.split(".")[0] in PROVIDED:
        return True
    for path, spec in kind.fields.items():
        if name == path or path.startswith(name + "."):  # the field, or a mapping that holds fields
            return True
        rest = name[len(path) + 1:] if name.startswith(path + ".") else None
        if rest is None:
            continue
        if spec.type == "person" and rest in PERSON_PARTS:
            return True
        if spec.type == "profile" and (rest.split(".")[0] in facts):
            return True
    return False


def _templates(kind: LetterKind):
    """(file, key path, text, is an expression) of every template in the kind."""
    t, name = kind.template, f"{kind.folder}/template.yaml"
    yield name, ("subject",), t.subject, False
    if t.salutation:
        yield name, ("salutation",), t.salutation, False
    for i, line in enumerate(t.addressee):
        yield name, ("addressee", i), line, False
    for i, clause in enumerate(t.clauses):
        yield name, ("clauses", i, "text"), clause.text, False
        if clause.heading:
            yield name, ("clauses", i, "heading"), clause.heading, False
        if clause.when:
            yield name, ("clauses", i, "when"), clause.when, True
    for i, refusal in enumerate(t.refuse):
        yield name, ("refuse", i, "when"), refusal.when, True
        yield name, ("refuse", i, "text"), refusal.text, False


def _lint_kind(kind: LetterKind, kb, files) -> list[Problem]:
    problems = []
    line = lambda name, loc: files[name].line(loc) if name in files else None  # noqa: E731
    for name, loc, text, expression in _templates(kind):
        found = problem(text, expression)
        if found:
            problems.append(Problem(name, line(name, loc), found))
            continue
        for read in sorted(names_read(text, expression)):
            if not _declared(read, kind, kb.facts):
                problems.append(Problem(name, line(name, loc), f"reads {read!r}, which fields.yaml does not declare"))
    fields_file = f"{kind.folder}/fields.yaml"
    for path, spec in kind.fields.items():
        if spec.type == "choice" and not spec.values:
            problems.append(Problem(fields_file, line(fields_file, (path,)), f"{path}: a choice needs values"))
    template_file = f"{kind.folder}/template.yaml"
    for i, signer in enumerate(kind.template.signers):
        spec = kind.fields.get(signer.field)
        if spec is None or spec.type != "person":
            problems.append(Problem(template_file, line(template_file, ("signers", i, "field")),
                                    f"signer {signer.field!r} is not a field of type person in fields.yaml"))
    if kind.template.refuse and not any(c.attests for c in kind.template.clauses):
        problems.append(Problem(template_file, line(template_file, ("refuse",)),
                                "a document that can refuse must mark the clauses it then leaves out (attests: true)"))
    return problems + _lint_needed_by(kind, kb, files)


def _lint_needed_by(kind: LetterKind, kb, files) -> list[Problem]:
    name = f"{kind.folder}/letter.yaml"
    at = lambda *loc: files[name].line(("needed_by",) + loc) if name in files else None  # noqa: E731
    n, problems = kind.about.needed_by, []
    codes = {a.code for a in kb.authorizations.values()}
    for key, known in (("pathways", kb.pathways), ("visas", kb.visas), ("authorizations", codes)):
        for i, value in enumerate(getattr(n, key)):
            if value not in known:
                problems.append(Problem(name, at(key, i), f"needed_by.{key}: no {key[:-1]} {value!r} in the knowledge base"))
    needing = [p for p in kb.pathways.values() if kind.needed_by(p)]
    if not needing:
        problems.append(Problem(name, at(), "no pathway needs this letter: name pathways, visas, authorizations or contact levels"))
    steps = {s.id for p in needing for s in steps_for(kb, p, kb.policies.values())[0]}
    for i, step in enumerate(n.steps):
        if step not in steps:
            problems.append(Problem(name, at("steps", i), f"needed_by.steps: no step {step!r} in the plans of the pathways that need it"))
    return problems


def lint_letters(kb, root: Path, stale: set[str] | None = None) -> list[Problem]:
    """Every letter's problems; with `stale` (source ids), also each citation of a stale source."""
    kinds, problems = read_letters(root)
    files = letter_files(root)
    problems += [Problem(n, line, f"citation {sid!r} resolves to no source in sources/")
                 for n, line, sid in citing(files) if sid not in kb.sources]
    for kind in kinds.values():
        problems += _lint_kind(kind, kb, files)
    if stale:
        problems += [Problem(n, line, f"cites {sid!r}, last checked on {kb.sources[sid].checked}, more than a year ago", "stale")
                     for n, line, sid in citing(files, stale)]
    return problems
