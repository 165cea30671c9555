"""The verdict as the result page shows it: grouped (open, within reach, needs information,
closed), in words, with links to sources. Nothing is evaluated or computed here: every
status, date and amount is the verdict's own."""

from __future__ import annotations

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from ...present.words import brief, first_sentence as _brief
from ..i18n.templatetags.kb_text import kb, ltr
from . import words

GROUP_TITLES = {"open": _("Open to you"), "reachable": _("Within reach: what to arrange, and where"),
                "needs-info": _("Needs information"), "closed": _("Closed to you")}
CAN_START = {"yes": _("Yes, even if every step is slow"), "likely": _("Yes at the usual pace, not if every step is slow"),
             "only-if-fast": _("Only if every step goes fast"), "no": _("No: not even if every step goes fast")}
FULL = 1  # the first open or reachable pathways shown with every step and cost; the rest in the PDF


def _citations(labels, ids) -> list[dict]:
    ids = list(ids) + [None] * (len(labels) - len(ids))
    return [{"label": label, "id": i} for label, i in zip(labels, ids)]


class Texts:
    """Long texts said once per page: a text seen before becomes its first words and a
    link back to where it was said in full (keeps the page small)."""

    SHORT = 8  # words

    def __init__(self, whole: bool = False):
        self.seen: dict[str, str] = {}
        self.whole = whole  # every text in full (the PDF: paper has no links back)

    def __call__(self, text: str) -> dict:
        if len(text) < 60 or self.whole:
            return {"text": text}
        anchor = self.seen.get(text)
        if anchor is None:
            anchor = self.seen[text] = f"t{len(self.seen) + 1}"
            return {"text": text, "anchor": anchor}
        return {"text": " ".join(text.split()[:self.SHORT]) + "…", "again": anchor}

    def once(self, key: str) -> bool:
        """True the first time `key` is seen on the page."""
        if key in self.seen:
            return False
        self.seen[key] = ""
        return True


def _day(value) -> str | None:
    return ltr(value.isoformat()) if value else None  # ISO everywhere, as in the JSON and the PDF


def _when(p, whole: bool = False) -> dict:
    """The timeline as the page says it: a past day is never shown as something to do.
    `whole`: the deciding step's whole text (the PDF), not its first words."""
    t = p.timeline
    deciding = next((s for s in p.steps if s.id == t.deciding_step), None)
    return {
        "earliest": _day(t.earliest_start), "likely": _day(t.likely_start), "ready_by": _day(t.ready_by),
        "start_date": _day(t.start_date), "begin_by": _day(t.begin_by),
        "begin_by_safe": _day(t.begin_by_safe) if t.begin_by_safe and t.begin_by_safe >= t.begin else None,
        "late": t.late, "can_start": CAN_START.get(t.can_start), "can_start_id": t.can_start,
        "deciding": {"brief": kb(deciding.text) if whole else _brief(kb(deciding.text), 14), "weeks": deciding.weeks,
                     "post": deciding.post} if deciding else None,
    }


def pathway(p, questions: dict, say: Texts, compact: bool = False) -> dict:
    """`compact`: a page, not the PDF: a pathway that needs information shows the questions
    that settle it, and says none of its long texts (they would be links to nothing)."""
    folded = compact and p.group == "needs-info"
    unmet = [r for r in p.requirements if r.status == "unmet"]
    arrange = [say(kb(r.text)) for r in unmet if r.kind == "arrangement"]  # said first: they lead the pathway
    unmet_texts = [say(kb(r.text)) for r in unmet if r.kind == "eligibility"]
    requirements = [
        {"id": r.id, "kind": r.kind, "status": r.status, "said": say(kb(r.text)), "met_by": r.met_by,
         "symbol": words.REQUIREMENT[r.status][0], "status_text": words.REQUIREMENT[r.status][1],
         "cites": _citations(r.citations, r.sources)}
        for r in (() if folded else p.requirements)
    ]
    cost = p.cost
    # the timeline's own sentence is shown as the timeline, not again among the warnings
    said_warnings = [] if folded else [say(kb(w.text)) for w in p.warnings if w.text != p.timeline_warning]
    reason = p.never or p.deciding_reason  # who the person is, said first: nothing arranged changes it
    return {
        "id": p.id, "name": kb(p.name), "status": p.status, "group": p.group, "reachable": p.reachable,
        "full": False,  # steps and cost items in full: set for the first pathways a person can act on
        # the status keeps its meaning; within reach, the badge says what is missing is to arrange
        "status_text": (gettext("%(status)s: to arrange") % {"status": words.STATUS[p.status]} if p.group == "reachable"
                        else words.STATUS[p.status]),
        "group_text": GROUP_TITLES[p.group],
        "visa_name": kb(p.visa_name), "authorization_name": kb(p.authorization_name),
        "patient_contact": p.patient_contact, "contact_text": words.contact(p.patient_contact),
        "summary": kb(p.summary), "summary_cites": _citations(p.summary_citations, p.summary_sources),
        "requirements": requirements,
        "counts": {s: sum(1 for r in p.requirements if r.status == s) for s in ("met", "unmet", "unknown")},
        "arrange": arrange,
        "unmet_texts": unmet_texts,
        "reason": (brief(kb(reason.text)) if compact else kb(reason.text)) if reason else None,
        "never": p.never is not None and p.group == "closed",  # for other people: folded apart, no advice
        "unknown_count": len(p.would_take.unknown) if p.would_take else 0,
        "ask": [say(kb(questions.get(f, f))) for f in (p.would_take.ask if p.would_take else ())],
        "programs": [{"name": kb(g.name), "institution": g.institution, "takes": g.takes, "takes_text": kb(g.takes_text),
                      "address": g.address, "cites": _citations(g.citations, g.sources)} for g in p.programs],
        "said_warnings": said_warnings,
        "old_warnings": [w for w in said_warnings if w.get("again")],
        "barriers": [{"id": b.id, "name": kb(b.name), "enablers": [{"id": i, "name": kb(n)} for i, n, _ in b.enablers]}
                     for b in p.barriers],
        "new_barriers": [] if folded else [b.id for b in p.barriers if say.once("barrier:" + b.id)],
        "when": _when(p, whole=not compact),
        "timeline_warning": p.timeline_warning,
        "steps": [{"actor": s.actor, "actor_text": words.actor(s.actor), "said": say(kb(s.text)), "brief": _brief(kb(s.text)),
                   "weeks": s.weeks,
                   "cost_usd": s.cost_usd, "start_on": _day(s.start_on), "done_by": _day(s.done_by), "due": _day(s.due),
                   "post": s.post,
                   "cites": _citations(s.citations, s.sources)} for s in p.steps],
        "cost": {
            "range": words.money_range(cost.min, cost.max),
            "by_payer": [{"payer": words.PAYER.get(k, k), "range": words.money_range(low, high)}
                         for k, (low, high) in cost.by_payer.items()],
            "items": [{"said": say(kb(c.text)), "range": words.money_range(c.usd_min, c.usd_max),
                       "payer_text": words.PAYER.get(c.payer, c.payer), "cites": _citations(c.citations, c.sources)}
                      for c in cost.items],
            "notes": [say(kb(n)) for n in cost.notes],
        },
    }


def verdict(v, questions: dict, categories: dict, compact: bool = True) -> dict:
    """The page's groups, each a list of pathways, in the order a person acts on them
    (`compact` for the page; the PDF says everything)."""
    say = Texts(whole=not compact)
    # said in the order shown: open, within reach, needs information
    order = {g: i for i, g in enumerate(("open", "reachable", "needs-info", "closed"))}
    made = {p.id: pathway(p, questions, say, compact) for p in sorted(v.pathways, key=lambda p: order[p.group])}
    pathways = [made[p.id] for p in v.pathways]
    for p in [p for p in pathways if p["group"] in ("open", "reachable")][:FULL]:
        p["full"] = True
    category = categories.get(v.category) if v.category else None
    closed = [p for p in pathways if p["group"] == "closed"]
    return {
        "category": category or gettext("Not known yet (answer whether you are a student or a graduate, "
                                        "and your years of training)"),
        "category_id": v.category,
        "groups": [{"id": g, "title": GROUP_TITLES[g], "pathways": [p for p in pathways if p["group"] == g
                                                                    and not (g == "closed" and p["never"])]}
                   for g in ("open", "reachable", "needs-info", "closed")],
        # closed by who the person is (nationality, status, stage): one folded line, no advice
        "never": [p for p in closed if p["never"]],
        "summary": summary(v, questions, whole=not compact),
        "as_of": _day(v.as_of),
        "start_date": _day(v.profile.get("start_date")),
        "upcoming": [{"on": _day(u.on), "name": u.name, "change": u.change} for u in v.upcoming],
        "rules_checked": _day(v.rules_checked),
        "stale": v.stale,
    }


def elsewhere(found, questions: dict, state_names: dict, whole: bool = False) -> list[dict]:
    """Other states' pathways that give more patient contact than California's within reach:
    each with its state, the contact, and what it would take there (to arrange, to answer).
    `whole`: every text in full (the PDF)."""
    out = []
    for p in found:
        missing = [r for r in p.requirements if r.status != "met"]
        arranged = all(r.kind == "arrangement" for r in missing)  # then the questions only repeat them
        out.append({
            "id": p.id, "name": kb(p.name), "state": words.state(state_names.get(p.jurisdiction, p.jurisdiction)),
            "status_text": words.STATUS[p.status] if p.status == "open" or not arranged else gettext("Within reach: to arrange"),
            "group": p.group if p.status == "open" or not arranged else "reachable",
            "visa_name": p.visa_name, "authorization_name": p.authorization_name,
            "contact_text": words.contact(p.patient_contact), "summary": kb(p.summary),
            "arrange": [kb(r.text) if whole else brief(kb(r.text)) for r in missing if r.kind == "arrangement"],
            "ask": [] if arranged else [questions.get(f, f) for f in (p.would_take.ask if p.would_take else ())],
        })
    return out


def _share_of_costs(cost) -> str:
    """The total, and who pays what when more than one pays."""
    total = words.money_range(cost.min, cost.max)
    payers = cost.by_payer
    if len(payers) == 1:
        payer = next(iter(payers))
        return f"{total}, {SUMMARY_PAYS.get(payer, payer)}"
    colon = pgettext("a colon before the text it introduces", ":")  # French: a non-breaking space before it
    semicolon = pgettext("a semicolon between the items of a list", ";")  # ... and before this; Arabic: ؛
    return total + " (" + f"{semicolon} ".join(f"{words.PAYER.get(k, k).lower()}{colon} {words.money_range(low, high)}"
                                              for k, (low, high) in payers.items()) + ")"


SUMMARY_PAYS = {"person": _("which you pay"), "host": _("which the host pays"), "either": _("which you or the host pay")}


def summary(v, questions: dict, whole: bool = False) -> dict:
    """The result in short, at the top of the page: the best route now, or the nearest and what
    it would take; when the person could start; about how much it costs (Verdict.summary())."""
    s = v.summary()
    route = s.route
    out = {"wanted": words.contact(s.wanted) if s.wanted else None, "enough": s.enough, "never": len(s.never),
           "best": None, "route": None}
    if s.best is not None:
        out["best"] = {"id": s.best.id, "name": s.best.name, "contact": words.contact(s.best.patient_contact)}
    if route is None:
        return out
    t = route.timeline
    unmet = [r for r in route.requirements if r.status == "unmet"]
    out["route"] = {
        "id": route.id, "name": route.name, "contact": words.contact(route.patient_contact),
        "open": route.status == "open", "reachable": route.group == "reachable",
        # in the page's language first, then cut short (a translation is found by its whole English)
        "arrange": [kb(r.text) if whole else brief(kb(r.text)) for r in unmet if r.kind == "arrangement"],
        "lacking": [kb(r.text) if whole else brief(kb(r.text)) for r in unmet if r.kind == "eligibility"],
        "ask": [questions.get(f, f) for f in (route.would_take.ask if route.would_take else ())],
        "when": {"start_date": _day(t.start_date), "can_start": str(CAN_START.get(t.can_start, "")), "late": t.late,
                 "begin_by": _day(t.begin_by), "likely": _day(t.likely_start), "earliest": _day(t.earliest_start)},
        "cost": _share_of_costs(route.cost),
        "living_left_out": v.profile.get("duration_weeks") is None, "weeks": v.profile.get("duration_weeks"),
    }
    return out
