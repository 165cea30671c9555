"""Human output of the CLI: readable tables with colour (Rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..present.words import brief

STATUS_STYLE = {"open": "bold green", "needs-info": "bold yellow", "blocked": "bold red",
                "met": "green", "unmet": "red", "unknown": "yellow"}
MARK = {"met": "✔", "unmet": "✘", "unknown": "?"}


def _console() -> Console:
    import sys

    import os

    # a terminal's own width, or COLUMNS; a table piped with neither keeps its ids whole at 160
    return Console(highlight=False, width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160)


GROUP_TITLE = {"open": "Open", "reachable": "Within reach: to arrange", "needs-info": "Needs information",
               "closed": "Closed"}
GROUP_STYLE = {"open": "bold green", "reachable": "bold cyan", "needs-info": "bold yellow", "closed": "bold red"}
KIND_MARK = {"arrangement": "to arrange", "eligibility": ""}


def _money(cost) -> str:
    low, high = cost.min, cost.max
    return f"${low:,.0f}" if low == high else f"${low:,.0f} to ${high:,.0f}"


def _when(t) -> str:
    """The timeline in a few words: never a past day as something to do."""
    if t.start_date is None:
        return f"likely {t.likely_start}\nearliest {t.earliest_start}"
    if t.late:
        return f"late: begin now\nlikely {t.likely_start}"
    return f"begin by {t.begin_by}\nlikely {t.likely_start}"


def show_verdict(verdict) -> None:
    console = _console()
    category = verdict.category or "unknown (every pathway is shown)"
    start = verdict.profile.get("start_date")
    console.print(f"[bold]Evaluated on {verdict.as_of}[/] (rules in force that day; plans begin that day)  "
                  f"category: [bold]{category}[/]" + (f"  start date: [bold]{start}[/]" if start else ""))
    for group in ("open", "reachable", "needs-info"):
        shown = verdict.group(group)
        if not shown:
            continue
        console.print(f"\n[{GROUP_STYLE[group]}]{GROUP_TITLE[group]} ({len(shown)})[/]")
        table = Table(show_lines=False)
        for column in ("pathway", "contact", "when", "USD (fees + living)"):
            table.add_column(column, no_wrap=column != "USD (fees + living)")
        for p in shown:
            table.add_row(p.id, p.patient_contact, _when(p.timeline), _money(p.cost))
        console.print(table)
        for p in shown:  # below the table, so that ids stay whole at any width: `explain` needs them
            unmet = [r.id + (" (to arrange)" if r.kind == "arrangement" else "") for r in p.missing("unmet")]
            unknown = [r.id for r in p.missing("unknown")]
            parts = ([f"[red]unmet[/]: {', '.join(unmet)}"] if unmet else []) + (
                [f"[yellow]unknown[/]: {', '.join(unknown)}"] if unknown else [])
            if parts:
                console.print(f"  [bold]{p.id}[/]: " + "; ".join(parts))
        for p in shown:
            if p.programs:
                console.print(f"  [bold]{p.id}[/]: where to apply:")
                for g in p.programs:
                    console.print(f"    - {g.name}" + {"maybe": " (may take you: check)", "if-arranged": " (once what it asks is arranged)"}.get(g.takes, "")
                                  + (f" <{g.address}>" if g.address else ""))
            if p.timeline_warning:
                console.print(f"  [red]![/] [bold]{p.id}[/]: {p.timeline_warning}")
    closed = verdict.group("closed")
    if closed:
        console.print(f"\n[{GROUP_STYLE['closed']}]{GROUP_TITLE['closed']} ({len(closed)})[/]")
        for p in closed:
            reason = p.deciding_reason
            console.print(f"  {p.id}: ✘ {brief(reason.text) if reason else 'a requirement is unmet.'}")
    for u in verdict.upcoming:
        console.print(f"[yellow]![/] {u.on}: {u.name} {u.change}.")
    for note in verdict.stale:
        console.print(f"[yellow]stale:[/] {note}")
    _warnings(console, verdict)
    if verdict.rules_checked:
        console.print(f"[dim]Rules last checked {verdict.rules_checked}.[/]")
    console.print("\nExplain one: [bold]pathways explain PROFILE PATHWAY_ID[/]; its plan: [bold]pathways plan PROFILE PATHWAY_ID[/]")


def _warnings(console, verdict) -> None:
    """Each warning once, with the pathways (not closed) it concerns."""
    warned: dict[str, list[str]] = {}
    for p in verdict.pathways:
        if p.group != "closed":
            for w in p.warnings:
                if w.text != p.timeline_warning:
                    warned.setdefault(w.text, []).append(p.id)
    if warned:
        console.print("\n[bold]Warnings[/]")
    for text, ids in warned.items():
        console.print(f"[yellow]![/] {text} [dim]({', '.join(ids)})[/]")


def show_explanation(p) -> None:
    console = _console()
    console.print(f"[bold]{p.name}[/] ({p.id}), evaluated on {p.timeline.begin}")
    console.print(f"{p.visa} → {p.authorization} → patient contact: {p.patient_contact}   "
                  f"[{STATUS_STYLE[p.status]}]{p.status}[/]" + ("  (within reach)" if p.group == "reachable" else ""))
    table = Table(show_lines=True)
    for column in ("", "requirement", "kind", "your facts", "sources"):
        table.add_column(column)
    for r in p.requirements:
        facts = ", ".join(f"{name} = {_show(value)}" for name, value in r.facts)
        text = (r.text + (f"\n[green]Met: {r.met_by}[/]" if r.met_by else "")
                + (f"\n[dim]Article: {r.article_says}[/]" if r.article_says else ""))
        table.add_row(Text(MARK[r.status], STATUS_STYLE[r.status]), text, r.kind, facts, "; ".join(r.citations))
    console.print(table)
    for w in p.warnings:
        console.print(f"[yellow]![/] {w.text} [dim]({'; '.join(w.citations)})[/]")


def _show(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(value)) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def show_listing(kind: str, items: list[dict]) -> None:
    """Ids and codes are printed whole (they are what `show` and `explain` take); the other
    columns wrap."""
    table = Table(title=kind)
    if kind == "pathways":
        table.add_column("id", no_wrap=True, overflow="fold", min_width=max((len(i["id"]) for i in items), default=2))
        for column in ("state", "visa", "authorization", "contact"):
            table.add_column(column, overflow="fold")
        for item in items:
            table.add_row(item["id"], item.get("jurisdiction") or "", item["visa"], item["authorization"], item["patient_contact"])
    else:
        table.add_column("id", no_wrap=True, overflow="fold", min_width=max((len(i.get("id") or i["code"]) for i in items), default=2))
        for column in ("name", "legal basis"):
            table.add_column(column, overflow="fold")
        for item in items:
            table.add_row(item.get("id") or item["code"], item["name"], "; ".join(item["citations"]))
    _console().print(table)


def show_detail(item: dict) -> None:
    console = _console()
    console.print(f"[bold]{item['name']}[/] ({item.get('code') or item.get('id')}, {item['kind']})")
    skip = {"kind", "code", "id", "name", "citations", "sources", "legal_basis"}
    for key, value in item.items():
        if key in skip:
            continue
        console.print(f"[bold]{key.replace('_', ' ')}[/]")
        for line in _facts(value):
            console.print(f"  {line}")
    console.print("[bold]sources[/]")
    for s in item["sources"]:
        console.print(f"  [{s['id']}] {s['label']}: {s['title']} <{s['address']}> (checked {s['checked']})")


def _facts(value) -> list[str]:
    if isinstance(value, dict) and "text" in value:
        cite = value.get("cite") or value.get("citations") or []
        extra = f"  [dim](article: {value['article_says']})[/]" if value.get("article_says") else ""
        return [f"{value['text']} [dim][{', '.join(cite)}][/]{extra}"]
    if isinstance(value, list):
        return [line for item in value for line in _facts(item)]
    if isinstance(value, dict):
        return [f"{k}: {v}" for k, v in value.items()]
    return [str(value)]


def show_simulation(result: dict) -> None:
    """The simulation as tables: people by best open contact, then pathways whose count moved."""
    console = _console()
    second = result["reform"]
    title = ("reform " + ", ".join(second["ids"])) if second.get("ids") else f"baseline on {second['as_of']}"
    console.print(f"{result['population']:,} people, evaluated on {result['as_of']}; compared with {title}")
    table = Table(title="people by the most patient contact open to them")
    for column in ("contact", "baseline", "reform", "change"):
        table.add_column(column, justify="right" if column != "contact" else "left")
    for level, counts in result["by_contact"].items():
        table.add_row(level if level != "none" else "none (or nothing open)", f"{counts['baseline']:,}",
                      f"{counts['reform']:,}", f"{counts['reform'] - counts['baseline']:+,}")
    console.print(table)
    console.print(f"gained: {result['gained']:,}   lost: {result['lost']:,}")
    moved = [(pid, c) for pid, c in result["by_pathway"].items() if c["baseline"] != c["reform"]]
    if moved:
        table = Table(title="pathways open to more or fewer people")
        table.add_column("pathway", no_wrap=True, overflow="fold")
        for column in ("baseline", "reform", "change"):
            table.add_column(column, justify="right")
        for pid, c in sorted(moved, key=lambda item: item[1]["baseline"] - item[1]["reform"]):
            table.add_row(pid, f"{c['baseline']:,}", f"{c['reform']:,}", f"{c['reform'] - c['baseline']:+,}")
        console.print(table)
