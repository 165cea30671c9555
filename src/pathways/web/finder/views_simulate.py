"""The advocates' page: choose reforms and their parameters, run them over a synthetic
population, read the table and the charts, take the CSV or the policy brief (PDF). One run of
`Engine.simulate` behind all three."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from pathways import CONTACT_LEVELS, PopulationError, ProfileError, ReformError

from ...present.charts import PALETTE, Series, grouped_bars
from ..engine import get_engine
from .answers import MAX_VALUE_CHARS, read_query

PEOPLE_DEFAULT, PEOPLE_MAX = 10_000, 20_000  # a page's run: about a second of one worker


class _Bad(ValueError):
    pass


def _form(request: HttpRequest) -> dict:
    """The choices in the query string, checked: reforms, parameters, people, seed, dates."""
    engine = get_engine()
    pairs = read_query(request.META.get("QUERY_STRING", ""), 200)
    shipped = {r["id"]: r for r in engine.reforms()}
    chosen = [v for k, v in pairs if k == "reform"]
    unknown = [r for r in chosen if r not in shipped]
    if unknown:
        raise _Bad(_("reform: %(unknown)s is not a shipped reform; accepted: %(shipped)s")
                   % {"unknown": ", ".join(unknown), "shipped": ", ".join(shipped)})
    values: dict[str, dict[str, str]] = {}
    for key, value in pairs:
        if key.startswith("param.") and value.strip():
            _param, reform, name = (key.split(".", 2) + ["", ""])[:3]
            if reform in chosen:
                values.setdefault(reform, {})[name] = value.strip()[:MAX_VALUE_CHARS]
    given = dict(pairs)
    people = _number(given.get("people", ""), PEOPLE_DEFAULT, 1, PEOPLE_MAX, "people")
    seed = _number(given.get("seed", ""), 1, 0, 2**31 - 1, "seed")
    as_of = _day(given.get("as_of", ""), "as_of")
    compare = _day(given.get("compare_as_of", ""), "compare_as_of")
    if compare and chosen:
        raise _Bad(_("compare_as_of: compares two dates of today's law; choose it without reforms"))
    return {"shipped": shipped, "chosen": chosen, "values": values, "people": people, "seed": seed,
            "as_of": as_of, "compare_as_of": compare, "run": "run" in given, "rank": "rank" in given}


def _number(text: str, default: int, low: int, high: int, field: str) -> int:
    if not text.strip():
        return default
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise _Bad(_("%(field)s: %(text)s; accepted: a whole number from %(low)s to %(high)s")
                   % {"field": field, "text": repr(text), "low": f"{low:,}", "high": f"{high:,}"})
    return int(text)


def _day(text: str, field: str):
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise _Bad(_("%(field)s: %(text)s; accepted: an ISO date such as 2026-12-01")
                   % {"field": field, "text": repr(text)}) from None
    from pathways import EARLIEST, LATEST

    if not EARLIEST <= day <= LATEST:
        raise _Bad(_("%(field)s: %(day)s; accepted: %(earliest)s to %(latest)s")
                   % {"field": field, "day": day, "earliest": EARLIEST, "latest": LATEST})
    return day


def _run(form: dict) -> dict:
    engine = get_engine()
    reforms = engine.read_reforms(form["chosen"], form["values"])
    chunks = engine.synthetic_population(form["people"], form["seed"])
    result = engine.simulate(chunks, reforms, form["as_of"], form["compare_as_of"], None,
                             income_groups=engine.income_groups())
    return {"result": result, "reforms": [r.describe() for r in reforms], "sources": engine.reform_sources(reforms)}


def _charts(result: dict) -> list[str]:
    before, after = Series(_("Today"), PALETTE[0]), Series(_("Reform") if result["reform"]["ids"]
                                                          else result["reform"]["as_of"], PALETTE[1])
    levels = [(str(LEVELS[level]) if level != "none" else _("none/nothing"),
               [result["by_contact"][level]["baseline"], result["by_contact"][level]["reform"]]) for level in CONTACT_LEVELS]
    charts = [grouped_bars("contact", _("People by the most patient contact open to them"),
                           _("For each level of patient contact, how many people it is the most open to them, "
                             "today (blue) and with the reform (orange)."), levels, [before, after],
                           empty=_("Nothing to show."), **NARROW)]
    for kind, title, description in (
            ("income_group", _("Hands-on care by World Bank income group"),
             _("For each income group, how many people could give supervised or independent care, "
               "today (blue) and with the reform (orange).")),
            ("country", _("Hands-on care by country (the 12 largest groups)"),
             _("For each country, how many people could give supervised or independent care, "
               "today (blue) and with the reform (orange)."))):
        groups = sorted(result.get(f"by_{kind}", {}).items(), key=lambda item: -item[1]["people"])[:12]
        rows = [(key, [g["baseline_hands_on"], g["reform_hands_on"]]) for key, g in groups]
        charts.append(grouped_bars(kind, title, description, rows, [before, after], empty=_("Nothing to show."),
                                   **NARROW))
    return charts


# the contact levels as the table and the chart name them (the English: the contract's codes)
LEVELS = {"none": pgettext_lazy("patient contact", "none"), "incidental": pgettext_lazy("patient contact", "incidental"),
          "supervised": pgettext_lazy("patient contact", "supervised"),
          "independent": pgettext_lazy("patient contact", "independent")}


NARROW = {"width": 420, "left": 120, "text": 15}  # read on a phone as well as on a desk


def _context(request: HttpRequest) -> tuple[dict, int]:
    try:
        form = _form(request)
    except (_Bad, ProfileError) as error:
        return {"error": str(error), "form": None}, 400
    context = {"form": form, "query": request.META.get("QUERY_STRING", "")}
    if form["rank"]:  # each reform alone (the ticked ones, or every one) over the same people
        engine = get_engine()
        try:
            context["ranking"] = engine.rank_reforms(lambda: engine.synthetic_population(form["people"], form["seed"]),
                                                     form["chosen"] or None, form["as_of"], None, form["values"])
        except (ReformError, PopulationError, ProfileError) as error:
            return {**context, "error": str(error)}, 400
        return context, 200
    if form["run"]:
        try:
            context.update(_run(form))
        except (ReformError, PopulationError, ProfileError) as error:
            return {**context, "error": str(error)}, 400
        context["charts"] = _charts(context["result"])
        context["moved"] = sorted(((pid, c) for pid, c in context["result"]["by_pathway"].items()
                                   if c["baseline"] != c["reform"]), key=lambda item: item[1]["baseline"] - item[1]["reform"])
        context["contact_rows"] = [(level, LEVELS.get(level, level), c["baseline"], c["reform"], c["reform"] - c["baseline"])
                                   for level, c in context["result"]["by_contact"].items()]
    return context, 200


def simulate_page(request: HttpRequest) -> HttpResponse:
    context, status = _context(request)
    return render(request, "finder/simulate.html", context, status=status)


def simulate_csv(request: HttpRequest) -> HttpResponse:
    """The counts as rows: what, key, baseline, reform (pathways, contact levels, groups)."""
    context, status = _context(request)
    if status != 200 or "result" not in context:
        return HttpResponse(context.get("error") or _("Choose reforms and add run=1."), status=400,
                            content_type="text/plain; charset=utf-8")
    result, out = context["result"], io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["what", "key", "baseline", "reform"])
    for pid, c in result["by_pathway"].items():
        writer.writerow(["pathway open", pid, c["baseline"], c["reform"]])
    for level, c in result["by_contact"].items():
        writer.writerow(["most contact open", level, c["baseline"], c["reform"]])
    for kind in ("category", "income_group", "country"):
        for key, g in result.get(f"by_{kind}", {}).items():
            writer.writerow([f"hands-on care by {kind.replace('_', ' ')}", key, g["baseline_hands_on"], g["reform_hands_on"]])
    writer.writerow(["gained", "", "", result["gained"]])
    writer.writerow(["lost", "", "", result["lost"]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="exchange-pathways-simulation.csv"'
    return response


def simulate_pdf(request: HttpRequest) -> HttpResponse:
    """The policy brief: the reforms in words with their sources, the table and the charts."""
    from . import pdf

    context, status = _context(request)
    if status != 200 or "result" not in context:
        return HttpResponse(context.get("error") or _("Choose reforms and add run=1."), status=400,
                            content_type="text/plain; charset=utf-8")
    if not pdf.available():
        return HttpResponse(_("The PDF needs the Pango library on the server."), status=503,
                            content_type="text/plain; charset=utf-8")
    wait = pdf.render_refused(pdf.client_address(request))
    if wait is not None:
        response = HttpResponse(_("Too many PDFs for this address; try again in %(wait)s seconds.") % {"wait": wait},
                                status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(wait)
        return response
    html = render_to_string("finder/simulate.html", {**context, "pdf": True}, request)
    response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="exchange-pathways-policy-brief.pdf"'
    return response

