"""The `pathways` command: parse, call one core function, print.

Exit codes: 0 for a result, 2 for input that cannot be used (an invalid profile, an
unknown id, a broken knowledge file), each problem on its own line of standard error.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(help="Pathways to hands-on clinical training in California for international medical students and graduates.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
kb_app = typer.Typer(help="The knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
workspace_app = typer.Typer(help="The institutions' workspace.", no_args_is_help=True)
app.add_typer(workspace_app, name="workspace")


class Kind(str, Enum):
    visas = "visas"
    authorizations = "authorizations"
    pathways = "pathways"


def _fail(lines: list[str], code: int = 2) -> None:
    for line in lines:
        sys.stderr.write(f"{line}\n")
    raise typer.Exit(code)


def _engine():
    from ..engine.core import Engine

    return Engine.load()


def _as_of(text: Optional[str]) -> Optional[date]:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail([f"--as-of: {text!r} is not an ISO date; accepted: a date such as 2026-03-01"])


def _json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def find(
    profile: Optional[str] = typer.Argument(None, help="A profile file (YAML or JSON), or - for standard input."),
    as_json: bool = typer.Option(False, "--json", help="Print the contract's JSON."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Evaluate the rules in force on this date (default: the profile's start_date, else today)."),
    batch: Optional[Path] = typer.Option(None, "--batch", help="A JSON Lines file, one profile per line."),
) -> None:
    """Evaluate a profile against every pathway of its category."""
    from ..engine.report import evaluation_json
    from ..rules.profile_file import ProfileFileError, read_profile

    day = _as_of(as_of)
    if batch is not None:
        _find_batch(batch, day, as_json)
        return
    if profile is None:
        _fail(["PROFILE: give a profile file, - for standard input, or --batch FILE"])
    engine = _engine()
    try:
        data, file_as_of = read_profile(profile)
        evaluation = engine.find(data, day or file_as_of)
    except ProfileFileError as error:
        _fail(error.lines)
    except _profile_error() as error:
        _fail([str(p) for p in error.problems])
    if as_json:
        _json(evaluation_json(evaluation))
    else:
        from .display import show_evaluation

        show_evaluation(evaluation)


def _profile_error():
    from ..rules.profile import ProfileError

    return ProfileError


def _find_batch(path: Path, day: Optional[date], as_json: bool) -> None:
    from ..engine.report import CompactWriter
    from ..rules.profile import ProfileError

    engine = _engine()
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        _fail([f"--batch: cannot read {path}: {error.strerror}"])
    invalid, writer = False, CompactWriter()
    out = sys.stdout
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                text = writer.evaluation(engine.find(json.loads(line), day))
            except json.JSONDecodeError as error:
                problem = {"field": "(line)", "message": f"not valid JSON: {error.msg} at column {error.colno}"}
                text, invalid = json.dumps({"line": number, "errors": [problem]}), True
            except ProfileError as error:
                text, invalid = json.dumps({"line": number, "errors": [p.as_dict() for p in error.problems]}, ensure_ascii=False), True
            out.write(text + "\n")
    if not as_json:
        sys.stderr.write("(batch output is always JSON Lines)\n")
    if invalid:
        raise typer.Exit(2)


def _profile_for_pathway(profile: str, pathway_id: str):
    """The engine, the checked profile and its file's as_of; exit 2 on a bad id or profile."""
    from ..rules.profile_file import ProfileFileError, read_profile

    engine = _engine()
    known = engine.pathway_ids()
    if pathway_id not in known:
        _fail([f"PATHWAY_ID: unknown pathway {pathway_id!r}; accepted: {', '.join(known)}"])
    try:
        data, file_as_of = read_profile(profile)
        return engine, engine.check(data), file_as_of
    except ProfileFileError as error:
        _fail(error.lines)
    except _profile_error() as error:
        _fail([str(p) for p in error.problems])


@app.command()
def explain(
    profile: str = typer.Argument(..., help="A profile file (YAML or JSON), or - for standard input."),
    pathway_id: str = typer.Argument(..., help="A pathway id, as `pathways list pathways` shows."),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Explain one pathway's verdict for a profile, requirement by requirement."""
    from ..engine.report import pathway_json

    day = _as_of(as_of)
    engine, checked, file_as_of = _profile_for_pathway(profile, pathway_id)
    result = engine.explain(checked, pathway_id, day or file_as_of)
    if as_json:
        _json(pathway_json(result, checked))
    else:
        from .display import show_explanation

        show_explanation(result, checked, engine.as_of(checked, day or file_as_of))


@app.command()
def plan(
    profile: str = typer.Argument(..., help="A profile file (YAML or JSON), or - for standard input."),
    pathway_id: str = typer.Argument(..., help="A pathway id, as `pathways list pathways` shows."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The day work begins (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of Markdown."),
) -> None:
    """The step-by-step plan of one pathway, with dates and costs, as Markdown or JSON."""
    from ..engine.costs import costs
    from ..engine.plan import make_plan
    from ..engine.report import pathway_json
    from .markdown import plan_markdown

    day = _as_of(as_of)
    engine, checked, file_as_of = _profile_for_pathway(profile, pathway_id)
    # A plan begins today (or --as-of), not on the start date it is measured against.
    begin = day or file_as_of or date.today()
    result = engine.explain(checked, pathway_id, begin)
    rules = engine.rules(begin)
    if as_json:
        _json(pathway_json(result, checked, rules))
        return
    the_plan = make_plan(result, begin, checked.get("start_date"))
    priced = costs(rules, result, checked, the_plan.start_date or the_plan.earliest_start)
    sys.stdout.write(plan_markdown(result, the_plan, priced))


@app.command("list")
def list_(kind: Kind = typer.Argument(..., help="visas, authorizations or pathways"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """List the visas, authorizations or pathways of the knowledge base."""
    from ..engine.knowledge_items import listing

    engine = _engine()
    items = listing(engine.kb, kind.value)
    if as_json:
        _json(items)
    else:
        from .display import show_listing

        show_listing(kind.value, items)


@app.command()
def show(item_id: str = typer.Argument(..., metavar="ID", help="A visa code, authorization code or pathway id."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """Show a visa, authorization or pathway with its facts and sources."""
    from ..engine.knowledge_items import detail

    engine = _engine()
    found = detail(engine.kb, item_id)
    if found is None:
        ids = list(engine.kb.visas) + list(engine.kb.authorizations) + list(engine.kb.pathways)
        _fail([f"ID: {item_id!r} is not a visa, authorization or pathway; accepted: {', '.join(ids)}"])
    if as_json:
        _json(found)
    else:
        from .display import show_detail

        show_detail(found)


@kb_app.command("check")
def kb_check(today: Optional[str] = typer.Option(None, "--today", help="Judge staleness as of this date (default: today).")) -> None:
    """Check every knowledge file: schema, references, citations, tests; list stale sources."""
    import os

    from ..rules.loader import KNOWLEDGE_ROOT, check_knowledge

    root = Path(os.environ.get("PATHWAYS_KNOWLEDGE_DIR") or KNOWLEDGE_ROOT)
    problems = check_knowledge(root, today=_as_of(today))
    errors = [p for p in problems if p.severity == "error"]
    stale = [p for p in problems if p.severity == "stale"]
    for p in errors:
        sys.stdout.write(f"error: {p}\n")
    for p in stale:
        sys.stdout.write(f"stale: {p}\n")
    sys.stdout.write(f"{len(errors)} errors, {len(stale)} stale facts (a source checked more than a year ago, or 120 days for policy events)\n")
    if errors:
        raise typer.Exit(1)


@app.command()
def diagram(category: str = typer.Argument(..., help="student, img-under-3 or img-3-plus"),
            output: Path = typer.Option(..., "-o", "--output", help="The SVG file to write."),
            as_of: Optional[str] = typer.Option(None, "--as-of")) -> None:
    """Draw the article's figure for a category (Figures 1 to 3) from the knowledge base."""
    from ..present.diagram import draw_category
    from ..rules.vocabulary import CATEGORIES

    if category not in CATEGORIES:
        _fail([f"CATEGORY: {category!r} is not a category; accepted: {', '.join(CATEGORIES)}"])
    engine = _engine()
    svg = draw_category(engine.kb, category)
    try:
        output.write_text(svg, encoding="utf-8")
    except OSError as error:
        _fail([f"--output: cannot write {output}: {error.strerror}"])
    sys.stdout.write(f"wrote {output}\n")


@app.command()
def serve(port: int = typer.Option(8000, "--port", help="The port to listen on."),
          host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on."),
          threads: int = typer.Option(8, "--threads", help="Worker threads.")) -> None:
    """Start the web app and the JSON API (SQLite in your data directory unless PATHWAYS_DATABASE_URL says otherwise)."""
    from ..web.serve import serve as run

    run(host, port, threads)


def _django() -> None:
    from ..web.serve import migrate, setup_django

    setup_django()
    migrate()


@app.command()
def createuser(username: str = typer.Argument(..., help="The new user's name."),
               institution: str = typer.Option(..., "--institution", help="The institution's name (made if new)."),
               role: str = typer.Option(..., "--role", help="administrator, coordinator or viewer"),
               password: Optional[str] = typer.Option(None, "--password", help="The password (asked for if not given)."),
               email: str = typer.Option("", "--email")) -> None:
    """Make a workspace user with a role in an institution (administrators may use /admin/)."""
    roles = ("administrator", "coordinator", "viewer")
    if role not in roles:
        _fail([f"--role: {role!r} is not a role; accepted: {', '.join(roles)}"])
    _django()
    from django.core.exceptions import ValidationError

    from ..web.workspace.members import create_member

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        member, created = create_member(username, institution, role, password, email=email)
    except ValidationError as error:
        _fail([f"--password: {m}" for m in error.messages])
    except ValueError as error:
        _fail([str(error)])
    verb = "created" if created else "updated"
    sys.stdout.write(f"{verb} {username}: {role} of {member.institution.name}\n")


@app.command()
def demo(password: Optional[str] = typer.Option(None, "--password",
                                                  help="The demo users' password (default: new random ones, printed once).")) -> None:
    """Load the demo institution (members of each role, partners, agreements, exchanges, cases); idempotent."""
    _django()
    from django.core.exceptions import ValidationError

    from ..web.workspace.demo import load_demo

    try:
        result = load_demo(password)
    except ValidationError as error:
        _fail([f"--password: {m}" for m in error.messages])
    _print_demo(result)


def _print_demo(result) -> None:
    state = "loaded" if result.created else "already loaded"
    sys.stdout.write(f"Demo institution {result.institution.name!r} {state}: {result.cases} cases.\n")
    for username, secret in result.passwords.items():
        sys.stdout.write(f"  {username} / {secret}\n")
    if result.passwords and not result.created:
        sys.stdout.write("  (passwords set as given)\n")
    elif not result.passwords:
        sys.stdout.write("  The demo users keep their passwords (give --password to set them).\n")
    sys.stdout.write("Sign in at /workspace/login/\n")


@workspace_app.command("reevaluate")
def workspace_reevaluate(as_of: Optional[str] = typer.Option(None, "--as-of",
                                                              help="Evaluate as of this date (default: each case's own date).")) -> None:
    """Re-evaluate every open case made with another knowledge base; list those whose verdict, dates or costs moved."""
    day = _as_of(as_of)
    _django()
    from ..web.workspace.cases import reevaluate_open_cases

    flagged = reevaluate_open_cases(day)
    for case in flagged:
        sys.stdout.write(f"case {case.pk} {case.trainee_name} ({case.institution.name}): {case.change}\n")
    sys.stdout.write(f"{len(flagged)} case{'s' if len(flagged) != 1 else ''} moved\n")


def main() -> None:
    try:
        app()
    except Exception as error:  # a broken knowledge file: its file and line, not a traceback
        from ..rules.loader import KnowledgeError

        if not isinstance(error, KnowledgeError):
            raise
        _report_knowledge_error(error)


def _report_knowledge_error(error) -> None:
    sys.stderr.write("The knowledge base has errors:\n")
    for problem in error.problems:
        sys.stderr.write(f"{problem}\n")
    sys.exit(2)


if __name__ == "__main__":
    main()
