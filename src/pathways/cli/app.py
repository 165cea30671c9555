"""The `pathways` command: parse, call one core function, print.

Exit codes: 0 for a result, 2 for input that cannot be used (an invalid profile, an
unknown id, a broken knowledge file), each problem on its own line of standard error.
"""

from __future__ import annotations

import gc
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
    reforms = "reforms"


def _fail(lines: list[str], code: int = 2) -> None:
    for line in lines:
        sys.stderr.write(f"{line}\n")
    raise typer.Exit(code)


_ENGINES: dict = {}


def _engine():
    """The engine of the knowledge base in use; one per process and knowledge base, so that
    commands run in one process (tests, scripts) share what it has compiled."""
    from pathways import Engine

    engine = Engine.load()
    return _ENGINES.setdefault(engine.version, engine)


def _as_of(text: Optional[str]) -> Optional[date]:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    from pathways import EARLIEST, LATEST  # the contract's range of dates

    if day is None or not (EARLIEST <= day <= LATEST):
        _fail([f"--as-of: {text!r} is not an ISO date from {EARLIEST} to {LATEST}; accepted: a date such as 2026-03-01"])
    return day


def _json(data) -> None:
    from pathways import dumps_json  # orjson: a large answer written in a tenth of the time

    sys.stdout.write(dumps_json(data, indent=True) + "\n")


class Detail(str, Enum):
    full = "full"
    summary = "summary"


STATE_HELP = "The jurisdiction: ca (California, the default), oh, tn, or all (every state in one answer)."
AS_OF_HELP = "The day of the evaluation: the rules in force that day decide and the plan begins on it (default: today)."


@app.command()
def find(
    profile: Optional[str] = typer.Argument(None, help="A profile file (YAML or JSON), or - for standard input."),
    as_json: bool = typer.Option(False, "--json", help="Print the contract's JSON."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    batch: Optional[Path] = typer.Option(None, "--batch", help="A JSON Lines file, one profile per line."),
    detail: Detail = typer.Option(Detail.full, "--detail", help="full, or summary: per pathway only its status, "
                                  "what is unmet or unknown, the timeline and the costs."),
    state: Optional[str] = typer.Option(None, "--state", help=STATE_HELP),
) -> None:
    """Evaluate a profile against every pathway of its category."""
    day = _as_of(as_of)
    if batch is not None:
        _find_batch(batch, day, as_json, detail.value, state)
        return
    if profile is None:
        _fail(["PROFILE: give a profile file, - for standard input, or --batch FILE"])
    engine = _engine()
    data, file_as_of, file_state = _read(profile)
    verdict = _or_fail(lambda: engine.find(data, day or file_as_of, state or file_state))
    if as_json:
        from pathways import verdict_json

        _json(verdict_json(verdict, detail.value))
    else:
        from .display import show_verdict

        show_verdict(verdict)


def _read(profile: str):
    """The profile's data and, for a scenario file, its date; exit 2 if it cannot be read."""
    from pathways import ProfileFileError, read_profile_file

    try:
        return read_profile_file(profile)
    except ProfileFileError as error:
        _fail(error.lines)


def _or_fail(call):
    """The engine's answer, or exit 2 with one line per bad field."""
    from pathways import ProfileError

    try:
        return call()
    except ProfileError as error:
        _fail([str(p) for p in error.problems])


def _find_batch(path: Path, day: Optional[date], as_json: bool, detail: str, state: Optional[str]) -> None:
    engine = _engine()
    _or_fail(lambda: engine.jurisdictions(state))  # a bad --state fails once, before any line
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        _fail([f"--batch: cannot read {path}: {error.strerror}"])
    sys.stdout.flush()
    out, invalid = sys.stdout.buffer, 0  # the engine writes UTF-8 in large blocks
    try:
        with handle:
            blocks = engine.find_lines(handle, day, state, detail)
            gc.freeze()  # the rules, and the lines and verdicts kept for reuse, live as long as the
            for block, bad in blocks:  # process: the collector need not walk them again and again
                out.write(block)
                invalid += bad
                gc.freeze()
    except UnicodeDecodeError as error:
        out.flush()
        _fail([f"--batch: {path} is not UTF-8 text ({error.reason}); the lines before it were written"])
    out.flush()
    if not as_json:
        sys.stderr.write("(batch output is always JSON Lines)\n")
    if invalid:
        raise typer.Exit(2)


def _pathway(profile: str, pathway_id: str, day: Optional[date]):
    """One pathway's verdict for a profile file; exit 2 on a bad id or profile."""
    from pathways import UnknownPathway

    engine = _engine()
    data, file_as_of, _ = _read(profile)
    try:
        return _or_fail(lambda: engine.explain(data, pathway_id, day or file_as_of))
    except UnknownPathway as error:
        _fail([f"PATHWAY_ID: unknown pathway {pathway_id!r}; accepted: {', '.join(error.known)}"])


@app.command()
def explain(
    profile: str = typer.Argument(..., help="A profile file (YAML or JSON), or - for standard input."),
    pathway_id: str = typer.Argument(..., help="A pathway id, as `pathways list pathways` shows."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Explain one pathway's verdict for a profile, requirement by requirement."""
    verdict = _pathway(profile, pathway_id, _as_of(as_of))
    if as_json:
        from pathways import pathway_json

        _json(pathway_json(verdict))
    else:
        from .display import show_explanation

        show_explanation(verdict)


@app.command()
def plan(
    profile: str = typer.Argument(..., help="A profile file (YAML or JSON), or - for standard input."),
    pathway_id: str = typer.Argument(..., help="A pathway id, as `pathways list pathways` shows."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The day work begins (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of Markdown."),
) -> None:
    """The step-by-step plan of one pathway, with dates and costs, as Markdown or JSON."""
    verdict = _pathway(profile, pathway_id, _as_of(as_of))
    if as_json:
        from pathways import pathway_json

        _json(pathway_json(verdict, steps=True))  # `plan` gives the steps of any pathway, closed ones too
        return
    from .markdown import plan_markdown

    sys.stdout.write(plan_markdown(verdict, _engine().letters_for(verdict.id)))


@app.command("list")
def list_(kind: Kind = typer.Argument(..., help="visas, authorizations or pathways"),
          as_json: bool = typer.Option(False, "--json"),
          state: Optional[str] = typer.Option(None, "--state", help="Only this state's authorizations and "
                                              "pathways (ca, oh, tn); visas are federal. Default: every state.")) -> None:
    """List the visas, authorizations or pathways of the knowledge base."""
    engine = _engine()
    if kind.value == "reforms":
        from pathways import ReformError

        try:
            items = engine.reforms()
        except ReformError as error:
            _fail([str(p) for p in error.problems])
        if as_json:
            _json(items)
        else:
            from .layout import console, escape, hang

            out = console()
            for r in items:  # the id whole, the name wrapped under it
                hang(out, f"[bold]{escape(r['id'])}[/]: {escape(r['name'])}", 0, 4)
        return
    items = engine.knowledge(kind.value)
    if state is not None:
        places = _or_fail(lambda: engine.jurisdictions(state))
        items = [i for i in items if places is None or i.get("jurisdiction", state) in places]
    if as_json:
        _json(items)
    else:
        from .display import show_listing

        show_listing(kind.value, items)


@app.command()
def show(item_id: str = typer.Argument(..., metavar="ID", help="A visa code, authorization code or pathway id."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """Show a visa, authorization or pathway with its facts and sources."""
    engine = _engine()
    found = engine.detail(item_id)
    if found is None:
        ids = [i.get("code") or i.get("id") for kind in ("visas", "authorizations", "pathways") for i in engine.knowledge(kind)]
        _fail([f"ID: {item_id!r} is not a visa, authorization or pathway; accepted: {', '.join(ids)}"])
    if as_json:
        _json(found)
    else:
        from .display import show_detail

        show_detail(found)


@kb_app.command("check")
def kb_check(today: Optional[str] = typer.Option(None, "--today", help="Judge staleness as of this date (default: today).")) -> None:
    """Check every knowledge file: schema, references, citations, tests; list stale sources."""
    engine = _engine()
    problems = engine.check_knowledge(today=_as_of(today))
    if not any(p.severity == "error" for p in problems):
        problems += engine.check_reforms()  # each shipped reform applied over the base
    errors = [p for p in problems if p.severity == "error"]
    stale = [p for p in problems if p.severity == "stale"]
    for p in errors:
        sys.stdout.write(f"error: {p}\n")
    for p in stale:
        sys.stdout.write(f"stale: {p}\n")
    sys.stdout.write(f"{len(errors)} errors, {len(stale)} stale facts (a source checked more than a year ago, or 120 days for policy events; "
                     f"or a translation whose English changed since)\n")
    if errors:
        raise typer.Exit(1)


@app.command()
def diagram(category: str = typer.Argument(..., help="student, img-under-3 or img-3-plus"),
            output: Path = typer.Option(..., "-o", "--output", help="The SVG file to write."),
            as_of: Optional[str] = typer.Option(None, "--as-of"),
            state: Optional[str] = typer.Option(None, "--state", help="Draw this state's pathways (ca, oh, tn) "
                                                "instead of the article's figure.")) -> None:
    """Draw the article's figure for a category (Figures 1 to 3) from the knowledge base."""
    from ..present.diagram import draw_category

    engine = _engine()
    figure = _or_fail(lambda: engine.figure(category, state))
    if figure is None:
        from pathways import CATEGORIES

        _fail([f"CATEGORY: {category!r} is not a category; accepted: {', '.join(CATEGORIES)}"])
    try:
        output.write_text(draw_category(figure), encoding="utf-8")
    except OSError as error:
        _fail([f"--output: cannot write {output}: {error.strerror}"])
    sys.stdout.write(f"wrote {output}\n")


@app.command()
def simulate(
    population: Optional[Path] = typer.Option(None, "--population", help="Profiles: JSON Lines, CSV or Parquet."),
    synthetic: Optional[int] = typer.Option(None, "--synthetic", help="Draw this many profiles from the marginals."),
    seed: int = typer.Option(0, "--seed", help="The synthetic population's seed (the same seed, the same people)."),
    reform: list[str] = typer.Option([], "--reform", help="A reform id (pathways list reforms) or file; repeatable."),
    param: list[str] = typer.Option([], "--param", help="A reform's parameter: NAME=VALUE or REFORM.NAME=VALUE."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    compare_as_of: Optional[str] = typer.Option(None, "--compare-as-of", help="Compare the baseline on this other "
                                                "day instead of a reform."),
    state: Optional[str] = typer.Option(None, "--state", help=STATE_HELP),
    people: Optional[Path] = typer.Option(None, "--people", help="Write each person's difference to this CSV."),
    rank: bool = typer.Option(False, "--rank", help="Run each reform alone (those given, or every shipped one) "
                              "and rank them by the people for whom hands-on care opens."),
    as_json: bool = typer.Option(False, "--json", help="Print the contract's JSON."),
) -> None:
    """Count, over a population, who gains hands-on training under reforms (or between two dates)."""
    from .simulation import run_simulation

    if (population is None) == (synthetic is None):
        _fail(["give --population FILE or --synthetic N (one of them)"])
    if compare_as_of is not None and reform:
        _fail(["--compare-as-of compares two dates of the baseline: give it without --reform"])
    if rank:
        from .simulation import run_ranking

        run_ranking(_engine(), population, synthetic, seed, reform, param, _as_of(as_of), state, as_json, _fail)
        return
    run_simulation(_engine(), population, synthetic, seed, reform, param, _as_of(as_of), _as_of(compare_as_of),
                   state, people, as_json, _fail)


@app.command()
def serve(port: int = typer.Option(8000, "--port", help="The port to listen on."),
          host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on."),
          workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: "
                                                "PATHWAYS_WORKERS, else one per core)."),
          threads: int = typer.Option(8, "--threads", min=1, help="Threads per worker process."),
          behind_proxy: bool = typer.Option(False, "--behind-proxy", help="Behind a TLS-terminating proxy (nginx): "
                                            "trust its X-Forwarded-* headers; https only, HSTS, Secure cookies.")) -> None:
    """Start the web app and the JSON API (SQLite in your data directory unless PATHWAYS_DATABASE_URL says otherwise)."""
    from ..web.serve import serve as run

    run(host, port, threads, behind_proxy=behind_proxy, workers=workers)


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


@workspace_app.command("remind")
def workspace_remind(as_of: Optional[str] = typer.Option(None, "--as-of", help="The day the digest is for (default: today)."),
                     dry_run: bool = typer.Option(False, "--dry-run", help="Count the emails; send none.")) -> None:
    """Email each coordinator and administrator (who has not turned it off) a digest of steps due within 14 days,
    overdue steps, expiring agreements and crossed thresholds; for cron."""
    day = _as_of(as_of) or date.today()
    _django()
    from ..web.workspace.reminders import send_reminders

    sent, quiet = send_reminders(day, dry_run=dry_run)
    sys.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} {'to send' if dry_run else 'sent'}, "
                     f"{quiet} member{'s' if quiet != 1 else ''} with nothing due\n")


@app.command()
def backup(file: Path = typer.Argument(..., help="The backup file to write."),
           force: bool = typer.Option(False, "--force", help="Replace FILE if it exists.")) -> None:
    """Back the database up into FILE: SQLite's online backup, or pg_dump's custom format for PostgreSQL."""
    _django()
    from ..web.backup import BackupError, backup as run

    try:
        sys.stdout.write(run(file, force=force) + "\n")
    except BackupError as error:
        _fail([f"backup: {error}"])
    sys.stdout.write("The file holds every trainee's records (readable by you only); uploaded documents are not in it.\n")


@app.command()
def restore(file: Path = typer.Argument(..., help="A file made by `pathways backup`."),
            force: bool = typer.Option(False, "--force", help="Do not ask before replacing the database's records.")) -> None:
    """Replace the database's records with FILE's (made by `pathways backup`), then apply the migrations."""
    _django()
    from ..web.backup import BackupError, describe, file_format, restore as run

    try:
        if file.is_file() and file_format(file) is not None and not force:
            if not typer.confirm(f"Replace every record of {describe()} with {file}'s?", default=False):
                _fail(["restore: nothing done (give --force to restore without asking)"], code=1)
        message = run(file)
    except BackupError as error:
        _fail([f"restore: {error}"])
    _django()  # a backup made before the newest migrations is brought up to date
    sys.stdout.write(message + "\n")


from .letters import letter  # noqa: E402  (its heavy imports wait until it runs)
from .translations import kb_translations  # noqa: E402

app.command("letter")(letter)
kb_app.command("translations")(kb_translations)


def main() -> None:
    try:
        app()
    except Exception as error:  # a broken knowledge file: its file and line, not a traceback
        from pathways import KnowledgeError

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
