"""The contract's evaluation JSON with what the result page shows beside it: names of
visas and authorizations, plain words for codes, links to sources. Nothing is evaluated
here: the page shows exactly `evaluation_json`, in words."""

from __future__ import annotations

from . import words


def source_ids_by_label(kb) -> dict[str, str]:
    """A source's short label -> its id, for citations given only by label."""
    out: dict[str, str] = {}
    for source_id, source in kb.sources.items():
        out.setdefault(source.label, source_id)
    return out


def _citations(labels, ids=None, by_label=None) -> list[dict]:
    if ids is not None and len(ids) == len(labels):
        return [{"label": label, "id": i} for label, i in zip(labels, ids)]
    return [{"label": label, "id": (by_label or {}).get(label)} for label in labels]


def _brief(text: str, words: int = 22) -> str:
    """The first sentence, or the first words: the page's short form of a long step."""
    first = text.split(". ")[0]
    parts = first.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words or first != text else ".") if parts else text


FULL = 1  # open pathways shown with every step and cost; the rest in the PDF and JSON


class Texts:
    """Long texts said once per page: a text seen before becomes its first words and a
    link back to where it was said in full (keeps the page under 100 KB)."""

    SHORT = 8  # words

    def __init__(self):
        self.seen: dict[str, str] = {}

    def __call__(self, text: str) -> dict:
        if len(text) < 60:
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


def pathway(kb, item: dict, by_label: dict, questions: dict, say: Texts) -> dict:
    visa, auth = kb.visas.get(item["visa"]), kb.authorizations.get(item["authorization"])
    auth_name = auth.name if auth else item["authorization"]
    if auth and item.get("route"):
        auth_name = next((r.name for r in auth.routes if r.id == item["route"]), auth_name)
    requirements = [
        {**r, "said": say(r["text"]), "symbol": words.REQUIREMENT[r["status"]][0], "status_text": words.REQUIREMENT[r["status"]][1],
         "cites": _citations(r["citations"], r.get("sources"))}
        for r in item["requirements"]
    ]
    take = item.get("would_take") or {}
    texts = {r["id"]: r["text"] for r in item["requirements"]}
    cost = item.get("cost_usd") or {}
    said_warnings = [say(w) for w in item["warnings"]]
    source = kb.pathways.get(item["id"])
    return {
        **item,
        "full": False,  # steps and cost items in full: set for the first open pathways
        "status_text": words.STATUS[item["status"]],
        "visa_name": visa.name if visa else item["visa"],
        "authorization_name": auth_name,
        "contact_text": words.contact(item["patient_contact"]),
        "summary": source.summary.text if source else "",
        "summary_cites": _citations([kb.sources[i].label for i in source.summary.cite if i in kb.sources],
                                    [i for i in source.summary.cite if i in kb.sources]) if source else [],
        "requirements": requirements,
        "counts": {s: sum(1 for r in requirements if r["status"] == s) for s in ("met", "unmet", "unknown")},
        "unmet_texts": [say(texts.get(i, i)) for i in take.get("unmet", [])],
        "unknown_count": len(take.get("unknown", [])),
        "ask": [say(questions.get(f, f)) for f in take.get("ask", [])],
        "said_warnings": said_warnings,
        "old_warnings": [w for w in said_warnings if w.get("again")],
        "new_barriers": [b for b in item.get("barriers", []) if say.once("barrier:" + b["id"])],
        "steps": [{**s, "said": say(s["text"]), "brief": _brief(s["text"]), "cites": _citations(s["citations"], by_label=by_label)} for s in item.get("steps", [])],
        "cost": {
            "range": words.money_range(cost.get("min"), cost.get("max")),
            "by_payer": [{"payer": words.PAYER.get(p, p), "range": words.money_range(v["min"], v["max"])}
                         for p, v in (cost.get("by_payer") or {}).items()],
            "items": [{**c, "said": say(c["text"]), "range": words.money_range(c["usd_min"], c["usd_max"]),
                       "payer_text": words.PAYER.get(c["payer"], c["payer"]),
                       "cites": _citations(c["citations"], by_label=by_label)} for c in cost.get("items", [])],
            "notes": [say(n) for n in cost.get("notes", [])],
        },
    }


def evaluation(kb, data: dict) -> dict:
    """The page's groups: open, needs information, blocked, each a list of pathways."""
    by_label = source_ids_by_label(kb)
    questions = {name: d.question for name, d in kb.facts.items()}
    say = Texts()
    pathways = [pathway(kb, p, by_label, questions, say) for p in data["pathways"]]
    for p in [p for p in pathways if p["status"] == "open"][:FULL]:
        p["full"] = True
    category = kb.categories.get(data["category"]) if data.get("category") else None
    return {
        "category": category.name if category else "Not known yet (answer whether you are a student or a graduate, and your years of training)",
        "category_id": data.get("category"),
        "groups": [
            {"id": status, "title": words.STATUS[status], "pathways": [p for p in pathways if p["status"] == status]}
            for status in ("open", "needs-info", "blocked")
        ],
        "as_of": data["as_of"],
        "rules_checked": data.get("rules_checked"),
        "stale": data.get("stale", []),
    }
