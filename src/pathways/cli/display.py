"""Human output of the CLI: readable tables with colour (Rich), at any width (layout.py):
ids are never broken, other columns wrap first, and no heading is printed without something
under it."""

from __future__ import annotations

from rich.text import Text

from ..present.words import brief
from .layout import Col, console, escape, hang, print_table
from .wording import fee_text, without_stand_in

STATUS_STYLE = {"open": "bold green", "needs-info": "bold yellow", "blocked": "bold red",
                "met": "green", "unmet": "red", "unknown": "yellow"}
MARK = {"met": "✔", "unmet": "✘", "unknown": "?"}


def _console():
    """The console every command prints to (kept for the callers of the old name)."""
    return console()


GROUP_TITLE = {"open": "Open", "reachable": "Within reach: to arrange", "needs-info": "Needs information",
               "closed": "Closed"}
GROUP_STYLE = {"open": "bold green", "reachable": "bold cyan", "needs-info": "bold yellow", "closed": "bold red"}
KIND_MARK = {"arrangement": "to arrange", "eligibility": ""}
TAKES = {"maybe": " (may take you: check)", "if-arranged": " (once what it asks is arranged)"}


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


PATHWAY_COLUMNS = [Col("pathway", "id"), Col("contact", "id"), Col("when", "id"), Col("USD (fees + living)", "id")]


def show_verdict(verdict) -> None:
    out = console()
    category = verdict.category or "unknown (every pathway is shown)"
    start = verdict.profile.get("start_date")
    hang(out, f"[bold]Evaluated on {verdict.as_of}[/] (rules in force that day; plans begin that day)  "
              f"category: [bold]{escape(str(category))}[/]  start date: "
              + (f"[bold]{start}[/]" if start else f"not known (plans count from {verdict.as_of})"))
    for group in ("open", "reachable", "needs-info"):
        shown = verdict.group(group)
        if not shown:
            continue
        out.print(f"\n[{GROUP_STYLE[group]}]{GROUP_TITLE[group]} ({len(shown)})[/]")
        print_table(out, PATHWAY_COLUMNS,
                    [[p.id, p.patient_contact, _when(p.timeline), _money(p.cost)] for p in shown])
        for p in shown:  # below the table, each id whole: `explain` and `plan` take them
            unmet = [r.id + (" (to arrange)" if r.kind == "arrangement" else "") for r in p.missing("unmet")]
            unknown = [r.id for r in p.missing("unknown")]
            parts = ([f"[red]unmet[/]: {escape(', '.join(unmet))}"] if unmet else []) + (
                [f"[yellow]unknown[/]: {escape(', '.join(unknown))}"] if unknown else [])
            if parts:
                hang(out, f"[bold]{p.id}[/]: " + "; ".join(parts), 2, 4)
        for p in shown:
            if p.programs:
                hang(out, f"[bold]{p.id}[/]: where to apply:", 2, 4)
                for g in p.programs:
                    hang(out, f"- {escape(g.name)}" + TAKES.get(g.takes, "") + (f" <{escape(g.address)}>" if g.address else ""), 4, 6)
            if p.timeline_warning:
                hang(out, f"[red]![/] [bold]{p.id}[/]: {escape(without_stand_in(p.timeline_warning))}", 2, 4)
    closed = verdict.group("closed")
    if closed:
        out.print(f"\n[{GROUP_STYLE['closed']}]{GROUP_TITLE['closed']} ({len(closed)})[/]")
        for p in closed:
            reason = p.deciding_reason
            hang(out, f"{p.id}: ✘ " + escape(brief(reason.text) if reason else "a requirement is unmet."), 2, 4)
    if verdict.upcoming or verdict.stale:
        out.print()
    for u in verdict.upcoming:
        hang(out, f"[yellow]![/] {u.on}: {escape(u.name)} {escape(u.change)}.", 0, 2)
    for note in verdict.stale:
        hang(out, f"[yellow]stale:[/] {escape(str(note))}", 0, 2)
    _warnings(out, verdict)
    if verdict.rules_checked:
        out.print(f"[dim]Rules last checked {verdict.rules_checked}.[/]")
    out.print()
    hang(out, "Explain one: [bold]pathways explain PROFILE PATHWAY_ID[/]; its plan: [bold]pathways plan PROFILE PATHWAY_ID[/]")


def _warnings(out, verdict) -> None:
    """Each warning once, with the pathways (not closed) it concerns."""
    warned: dict[str, list[str]] = {}
    for p in verdict.pathways:
        if p.group != "closed":
            for w in p.warnings:
                if w.text != p.timeline_warning:
                    warned.setdefault(w.text, []).append(p.id)
    if warned:
        out.print("\n[bold]Warnings[/]")
    for text, ids in warned.items():
        hang(out, f"[yellow]![/] {escape(without_stand_in(text))} [dim]({', '.join(ids)})[/]", 0, 2)


EXPLAIN_COLUMNS = [Col("", "fixed"), Col("requirement"), Col("kind", "id"), Col("your facts", "id"), Col("sources")]


def show_explanation(p) -> None:
    out = console()
    hang(out, f"[bold]{escape(p.name)}[/] ({p.id}), evaluated on {p.timeline.begin}")
    hang(out, f"{escape(p.visa)} → {escape(p.authorization)} → patient contact: {escape(p.patient_contact)}   "
              f"[{STATUS_STYLE[p.status]}]{p.status}[/]" + ("  (within reach)" if p.group == "reachable" else ""))
    rows = []
    for r in p.requirements:
        text = Text(without_stand_in(r.text))
        if r.met_by:
            text.append(f"\nMet: {r.met_by}", "green")
        if r.article_says:
            text.append(f"\nArticle: {r.article_says}", "dim")
        facts = ", ".join(f"{name} = {_show(value)}" for name, value in r.facts)
        rows.append([Text(MARK[r.status], STATUS_STYLE[r.status]), text, Text(r.kind), Text(facts),
                     Text("; ".join(r.citations))])
    print_table(out, EXPLAIN_COLUMNS, rows, head=2, spaced=True, lines=True)
    for w in p.warnings:
        hang(out, f"[yellow]![/] {escape(without_stand_in(w.text))} [dim]({escape('; '.join(w.citations))})[/]", 0, 2)


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
    columns wrap first."""
    if kind == "pathways":
        columns = [Col("id", "id"), Col("state", "id"), Col("visa", "id"), Col("authorization", "id"), Col("contact", "id")]
        rows = [[item["id"], item.get("jurisdiction") or "", item["visa"], item["authorization"], item["patient_contact"]]
                for item in items]
    else:
        columns = [Col("id", "id"), Col("name"), Col("legal basis", "id")]  # a citation's words whole too
        rows = [[item.get("id") or item["code"], item["name"], "; ".join(item["citations"])] for item in items]
    out = console()
    if not rows:
        out.print(f"No {kind}.")
        return
    print_table(out, columns, [[Text(str(c)) for c in row] for row in rows], title=kind, inline=True)


SKIP = {"kind", "code", "id", "name", "citations", "sources", "legal_basis"}


def show_detail(item: dict) -> None:
    """The item's facts under their headings; a heading only when something is under it."""
    out = console()
    hang(out, f"[bold]{escape(item['name'])}[/] ({escape(str(item.get('code') or item.get('id')))}, {item['kind']})")
    for key, value in item.items():
        if key in SKIP:
            continue
        lines = _facts(value, fee_text if key == "fees" else without_stand_in)
        if not lines:
            continue
        out.print(f"[bold]{key.replace('_', ' ')}[/]")
        for line in lines:
            hang(out, line, 2, 4)
    if item.get("sources"):
        out.print("[bold]sources[/]")
    for s in item.get("sources") or []:
        hang(out, f"{escape('[' + s['id'] + ']')} {escape(s['label'])}: {escape(s['title'])} "
                  f"<{escape(s['address'])}> (checked {s['checked']})", 2, 4)


def _facts(value, wording=without_stand_in) -> list[str]:
    """Markup lines, data escaped; none for an empty value. `wording`: how a text is told."""
    if value is None or value == "" or value == [] or value == {}:
        return []
    if isinstance(value, dict) and "text" in value:
        cite = value.get("cite") or value.get("citations") or []
        amount = ""
        if isinstance(value.get("usd"), (int, float)):
            amount = f" (${value['usd']:,.2f}".replace(".00", "") + (f", paid by {value['payer']}" if value.get("payer") else "") + ")"
        extra = f"  [dim](article: {escape(str(value['article_says']))})[/]" if value.get("article_says") else ""
        sources = f" [dim]{escape('[' + ', '.join(cite) + ']')}[/]" if cite else ""
        return [escape(wording(str(value["text"]))) + escape(amount) + sources + extra]
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return [escape(", ".join(str(v) for v in value))]
        return [line for item in value for line in _facts(item, wording)]
    if isinstance(value, dict):
        return [escape(f"{k}: {v}") for k, v in value.items() if v not in (None, "", [], {})]
    return [escape(str(value))]


CONTACT_COLUMNS = [Col("contact", "id"), Col("baseline", "fixed", "right"), Col("reform", "fixed", "right"),
                   Col("change", "fixed", "right")]
MOVED_COLUMNS = [Col("pathway", "id"), Col("baseline", "fixed", "right"), Col("reform", "fixed", "right"),
                 Col("change", "fixed", "right")]


def show_simulation(result: dict) -> None:
    """The simulation as tables: people by best open contact, then pathways whose count moved."""
    out = console()
    second = result["reform"]
    title = ("reform " + ", ".join(second["ids"])) if second.get("ids") else f"baseline on {second['as_of']}"
    hang(out, escape(f"{result['population']:,} people, evaluated on {result['as_of']}; compared with {title}"))
    rows = [[level if level != "none" else "none (or nothing open)", f"{c['baseline']:,}", f"{c['reform']:,}",
             f"{c['reform'] - c['baseline']:+,}"] for level, c in result["by_contact"].items()]
    print_table(out, CONTACT_COLUMNS, [[Text(c) for c in row] for row in rows],
                title="people by the most patient contact open to them", inline=True)
    out.print(f"gained: {result['gained']:,}   lost: {result['lost']:,}")
    moved = [(pid, c) for pid, c in result["by_pathway"].items() if c["baseline"] != c["reform"]]
    if moved:
        rows = [[pid, f"{c['baseline']:,}", f"{c['reform']:,}", f"{c['reform'] - c['baseline']:+,}"]
                for pid, c in sorted(moved, key=lambda item: item[1]["baseline"] - item[1]["reform"])]
        print_table(out, MOVED_COLUMNS, [[Text(c) for c in row] for row in rows],
                    title="pathways open to more or fewer people", inline=True)
