"""Human output of the CLI: readable tables with colour (Rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

STATUS_STYLE = {"open": "bold green", "needs-info": "bold yellow", "blocked": "bold red",
                "met": "green", "unmet": "red", "unknown": "yellow"}
MARK = {"met": "✔", "unmet": "✘", "unknown": "?"}


def _console() -> Console:
    import sys

    # a table piped to a file or another program keeps its ids whole
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def show_evaluation(evaluation) -> None:
    console = _console()
    category = evaluation.category or "unknown (every pathway is shown)"
    console.print(f"[bold]Rules as of {evaluation.as_of}[/]  category: [bold]{category}[/]")
    from ..engine.costs import costs
    from ..engine.plan import make_plan, timeline_warning

    table = Table(show_lines=False)
    for column in ("status", "pathway", "visa", "authorization", "contact", "earliest start", "fees + living (USD)", "what it would take"):
        table.add_column(column)
    timeline_warnings = []
    for result in evaluation.pathways:
        p = result.pathway
        plan = make_plan(result, evaluation.as_of, evaluation.profile.get("start_date"))
        priced = costs(evaluation.rules, result, evaluation.profile, plan.start_date or plan.earliest_start)
        low, high = priced.total("min"), priced.total("max")
        money = f"{low:,.0f}" if low == high else f"{low:,.0f} to {high:,.0f}"
        todo = [f"✘ {r.id}" for r in result.missing("unmet")] + [f"? {r.id}" for r in result.missing("unknown")]
        table.add_row(Text(result.status, STATUS_STYLE[result.status]), p.id, p.visa, p.authorization,
                      p.patient_contact, str(plan.earliest_start), money, "\n".join(todo) or "-")
        warning = timeline_warning(plan)
        if warning and result.status != "blocked":
            timeline_warnings.append((p.id, warning))
    console.print(table)
    for pathway_id, warning in timeline_warnings:
        console.print(f"[red]![/] [bold]{pathway_id}[/]: {warning}")
    for note in evaluation.rules.stale:
        console.print(f"[yellow]stale:[/] {note}")
    if evaluation.rules.last_checked:
        console.print(f"[dim]Rules last checked {evaluation.rules.last_checked}. Plan: pathways plan PROFILE PATHWAY_ID[/]")
    nearest = evaluation.nearest()
    if nearest:
        wanted = evaluation.profile.get("desired_contact") or "any"
        console.print(f"\n[bold]Nearest to the contact you want ({wanted})[/]")
        for r in nearest:
            steps = [f"change {', '.join(x.id for x in r.missing('unmet'))}"] if r.unmet else []
            steps += [f"answer {', '.join(x.id for x in r.missing('unknown'))}"] if r.unknown else []
            console.print(f"  [{STATUS_STYLE[r.status]}]{r.status}[/] {r.pathway.id} ({r.pathway.patient_contact})"
                          f"{': ' + '; '.join(steps) if steps else ''}")
    # each warning once, with the pathways (open or needing information) it concerns
    warned: dict[str, list[str]] = {}
    for r in evaluation.pathways:
        if r.status != "blocked":
            for w in r.warnings:
                warned.setdefault(w.text, []).append(r.pathway.id)
    if warned:
        console.print("\n[bold]Warnings[/]")
    for text, ids in warned.items():
        console.print(f"[yellow]![/] {text} [dim]({', '.join(ids)})[/]")
    console.print("\nExplain one: [bold]pathways explain PROFILE PATHWAY_ID[/]")


def show_explanation(result, profile, as_of) -> None:
    console = _console()
    p = result.pathway
    console.print(f"[bold]{p.name}[/] ({p.id}), rules as of {as_of}")
    console.print(f"{p.visa} → {p.authorization} → patient contact: {p.patient_contact}   "
                  f"[{STATUS_STYLE[result.status]}]{result.status}[/]")
    table = Table(show_lines=True)
    for column in ("", "requirement", "your facts", "sources"):
        table.add_column(column)
    for requirement, status in result.requirements:
        facts = ", ".join(f"{f} = {_show(profile.get(f))}" for f in requirement.facts)
        text = requirement.text + (f"\n[dim]Article: {requirement.article_says}[/]" if requirement.article_says else "")
        table.add_row(Text(MARK[status], STATUS_STYLE[status]), text, facts, "; ".join(requirement.citations))
    console.print(table)
    for w in result.warnings:
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
    table = Table(title=kind)
    if kind == "pathways":
        for column in ("id", "visa", "authorization", "contact", "categories"):
            table.add_column(column)
        for item in items:
            table.add_row(item["id"], item["visa"], item["authorization"], item["patient_contact"], ", ".join(item["categories"]))
    else:
        for column in ("code", "name", "legal basis"):
            table.add_column(column)
        for item in items:
            table.add_row(item["code"], item["name"], "; ".join(item["citations"]))
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
