"""The one entry point the CLI, the API and the pages share.

`Engine` holds the knowledge base, the profile checker and the rules compiled per
date; `find` checks a profile and evaluates it, `find_batch` does many. Loaded with
`Engine.load()`, it reads the knowledge base only when a command needs it: `find`
runs from cached rules (rules/cache.py) without importing the schema.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

from ..rules.profile import EARLIEST, LATEST, FieldProblem, Profile, ProfileChecker, ProfileError
from ..rules.vocabulary import CONTACT_LEVELS, DEFAULT_JURISDICTION
from .compiled import Rules
from .evaluate import Evaluation, evaluate, judge


# Rule sets (and the builders of their verdicts) kept in memory, by date. An evaluation may
# name any day of three centuries (`as_of`), and each rule set holds about a megabyte: a
# server asked about ever new days would grow without end. Past the bound the oldest goes
# (a day asked again is read back from the disk cache, rules/cache.py).
DATES_KEPT = 32


# What find_summary keeps: bytes of pathway texts written per day (brief.Briefs.held) for a
# batch-like caller, but a server (an engine loaded with a cache_limit) keeps a number of
# texts: each holds its costs and timeline as well (some KB in all), and what new people
# share is shared within a few requests (the same start date or stay, from another country).
# And bytes of whole answers of both details (some 4 KB each for a summary of California, 40 KB
# in full). A worker is some 110 MB: with these bounds what it holds of them stays within a few
# % of it (bench_web.py, memory).
BRIEFS_HELD, SERVER_BRIEFS_KEPT = 256 * 2**20, 300
ANSWERS_HELD, SERVER_ANSWERS_HELD = 64 * 2**20, 2 * 2**20
# What find_full keeps: templates of pathway texts (dated.py), some 8 KB each, per day; a kind
# is a pathway, what its tests say, the waits its plan uses and how the start date stands.
TEMPLATES_KEPT, SERVER_TEMPLATES_KEPT = 20_000, 400


def _kept(cache: dict, key, value):
    """`value` stored under `key`, the oldest entries dropped past DATES_KEPT."""
    while len(cache) >= DATES_KEPT:
        try:
            cache.pop(next(iter(cache)), None)
        except (RuntimeError, StopIteration):  # another thread changed it meanwhile: it made room
            break
    cache[key] = value
    return value


class UnknownPathway(KeyError):
    """A pathway id the knowledge base does not have; `known` lists those it has."""

    def __init__(self, pathway_id: str, known: list[str]):
        super().__init__(pathway_id)
        self.pathway_id, self.known = pathway_id, known


def _vocabularies(kb) -> dict[str, frozenset[str]]:
    from ..rules.assembly import list_members

    return {
        "countries": list_members(kb.lists["countries"], None),
        "visas-or-none": frozenset(kb.visas) | {"none"},
        "contact-levels": frozenset(CONTACT_LEVELS),
    }


class Engine:
    def __init__(self, kb=None, *, root: Path | None = None, key: str | None = None, cache_limit: int | None = None):
        """With `kb`, everything in memory; without, loaded from `root` on demand and cached on disk under `key`.
        `cache_limit`: the verdicts, plans and costs kept per cache and date (build.py's CACHE_LIMIT,
        sized for batches, by default; a long-running server passes a smaller bound)."""
        self._kb = kb
        self._cache_limit = cache_limit
        self._root = root
        self._key = key
        self._checker: ProfileChecker | None = None
        self._rules: dict[date, Rules] = {}
        self._builders: dict = {}
        self._briefs: dict = {}  # (day, places) -> brief.Briefs: find_summary's texts
        self._dated: dict = {}  # (detail, day, places) -> dated.Dated: find_full's and find_summary's templates
        self._answers: dict = {}  # (detail, day, places, the profile's facts) -> find_summary's or find_full's answer
        self._answers_held = 0  # bytes of those answers
        self._letters: dict | None = None
        self._translations: dict = {}

    @classmethod
    def load(cls, root: Path | None = None, cache_limit: int | None = None) -> "Engine":
        import os

        from ..rules.location import KNOWLEDGE_ROOT, fingerprint

        # PATHWAYS_KNOWLEDGE_DIR points at another copy (a contributor's draft, a test's)
        root = root or Path(os.environ.get("PATHWAYS_KNOWLEDGE_DIR") or KNOWLEDGE_ROOT)
        return cls(root=root, key=fingerprint(root), cache_limit=cache_limit)

    @property
    def kb(self):
        if self._kb is None:
            from ..rules.loader import load_knowledge

            self._kb = self._cached("knowledge", lambda: load_knowledge(self._root))
        return self._kb

    def _cached(self, name: str, build):
        if self._key is None:
            return build()
        from ..rules.cache import cached

        return cached(f"{name}-{self._key}", build)

    @property
    def checker(self) -> ProfileChecker:
        if self._checker is None:
            self._checker = self._cached("checker", lambda: ProfileChecker(
                self.kb.facts, _vocabularies(self.kb), {m.id: m.text for m in self.kb.messages.values()}))
        return self._checker

    def rules(self, as_of: date) -> Rules:
        found = self._rules.get(as_of)
        if found is None:
            def build():
                from .rules import compile_rules

                return compile_rules(self.kb, as_of)

            found = _kept(self._rules, as_of, self._cached(f"rules-{as_of.isoformat()}", build))
        return found

    def check(self, data: Any) -> Profile:
        """A valid profile, or ProfileError naming each bad field."""
        return self.checker.check(data)

    def as_of(self, profile: Profile | None = None, as_of: date | None = None) -> date:
        """The day of the evaluation: the given date, else today (never the start date: the
        plan begins on the day of the evaluation and is measured against the start date)."""
        day = as_of or date.today()
        if not (EARLIEST <= day <= LATEST):
            raise ProfileError([FieldProblem("as_of", f"expected an ISO date from {EARLIEST} to {LATEST}, got {day}")])
        return day

    def _builder(self, as_of: date):
        from .build import Builder

        found = self._builders.get(as_of)
        if found is None:
            found = _kept(self._builders, as_of, Builder(self.rules(as_of), self.rules, self._cache_limit))
        return found

    def _profile(self, data: Any) -> Profile:
        return data if isinstance(data, Profile) else self.check(data)

    def jurisdictions(self, state: str | None = None) -> frozenset[str] | None:
        """The jurisdictions `state` names: one code (California when None) or `all` (None: every
        one). ProfileError names the field `state` for any other value."""
        if state is None:  # before the knowledge base is read: `find` runs from the cached rules alone
            return frozenset({DEFAULT_JURISDICTION})
        codes = self.kb.jurisdictions
        if state == "all":
            return None
        if state not in codes:
            raise ProfileError([FieldProblem("state", f"unknown jurisdiction {state!r}; accepted: "
                                                      f"{', '.join(sorted(codes))} or all")])
        return frozenset({state})

    def states(self) -> list[dict]:
        """Every jurisdiction of the knowledge base: code, name, board (the states page, --state)."""
        return [{"code": j.code, "name": j.name, "board": j.board, "board_address": j.board_address,
                 "summary": j.summary.text} for j in sorted(self.kb.jurisdictions.values(), key=lambda j: j.code != DEFAULT_JURISDICTION)]

    def evaluate(self, data: Any, as_of: date | None = None, state: str | None = None) -> Evaluation:
        """The bare three-valued evaluation (statuses only), for the interview and tests."""
        return evaluate(self.rules(self.as_of(None, as_of)), self._profile(data), self.jurisdictions(state))

    def find(self, data: Any, as_of: date | None = None, state: str | None = None) -> "Verdict":
        """The verdict on every pathway of the person's category in the jurisdiction (`state`:
        a code, California by default, or `all`): statuses, requirements, plans, costs, barriers
        and programmes, built once. ProfileError names each bad field."""
        day = self.as_of(None, as_of)
        places = self.jurisdictions(state)
        return self._builder(day).verdict(evaluate(self.rules(day), self._profile(data), places))

    def find_summary(self, data: Any, as_of: date | None = None, state: str | None = None) -> bytes:
        """`verdict_json(find(...), "summary")` as compact UTF-8 JSON (the contract's section 4
        form, the batch's line without its newline), written without building the whole verdict:
        from the templates of its pathways' kinds (dated.py) for a person with a start date, else
        from the parts the summary reads (brief.py)."""
        return self._answer("summary", data, as_of, state)

    def find_full(self, data: Any, as_of: date | None = None, state: str | None = None) -> bytes:
        """`BatchWriter("full").encode(find(...))`: the contract's section 3 as compact UTF-8 JSON,
        a new person's dated parts filled into templates of the builder's own texts (dated.py):
        the API's full answer for a new start date without building every plan, step and cost."""
        return self._answer("full", data, as_of, state)

    def _answer(self, detail: str, data: Any, as_of: date | None, state: str | None) -> bytes:
        day = self.as_of(None, as_of)
        places = self.jurisdictions(state)
        profile = self._profile(data)
        write = self._summary if detail == "summary" else self._full
        # the same question again (a page reloaded, an interview's next step) is answered as before
        asked = (detail, day, places, tuple(profile.facts.items()))
        try:
            found = self._answers.get(asked)
        except TypeError:  # a Profile made by hand, holding a list: not kept
            return write(profile, day, places)
        if found is None:
            found = write(profile, day, places)
            if self._answers_held > (ANSWERS_HELD if self._cache_limit is None else SERVER_ANSWERS_HELD):
                self._answers.clear()  # all let go past the bound, as the builder's caches are
                self._answers_held = 0
            self._answers[asked] = found
            self._answers_held += len(found)
        return found

    def _full(self, profile: Profile, day: date, places) -> bytes:
        return self._from_templates(profile, day, places, "full")

    def _from_templates(self, profile: Profile, day: date, places, detail: str) -> bytes:
        dated = self._dated.get((detail, day, places))
        if dated is None:
            from .dated import Dated

            kept = TEMPLATES_KEPT if self._cache_limit is None else SERVER_TEMPLATES_KEPT
            dated = _kept(self._dated, (detail, day, places), Dated(self._builder(day), places, kept, detail))
        return dated.answer(profile)

    def _summary(self, profile: Profile, day: date, places) -> bytes:
        if profile.get("start_date") is not None:  # dated: from the templates of its pathways' kinds
            return self._from_templates(profile, day, places, "summary")
        briefs = self._briefs.get((day, places))
        if briefs is None:
            from .brief import Briefs

            briefs = _kept(self._briefs, (day, places), Briefs(self._builder(day), places))
        if (briefs.held > BRIEFS_HELD) if self._cache_limit is None else (len(briefs.texts) > SERVER_BRIEFS_KEPT):
            briefs.texts.clear()  # all let go past the bound, as the builder's caches are
            briefs.held = 0
        return b"".join(briefs.pieces(profile))

    def elsewhere(self, data: Any, as_of: date | None = None, state: str | None = None) -> tuple:
        """Pathways of the other states, open or within reach there (what is missing can be
        arranged), that give more patient contact than the best such pathway of `state`
        (California by default), best first: "Elsewhere in the US" on the result page."""
        home = next(iter(self.jurisdictions(state) or {DEFAULT_JURISDICTION}))
        every = self.find(data, as_of, "all")

        def within_reach(p) -> bool:  # open, or all that is missing (unmet or unknown) can be arranged
            return p.group in ("open", "reachable") or (
                p.status == "needs-info" and all(r.kind == "arrangement" for r in p.missing("unknown")))

        best = max((p.contact_rank for p in every.pathways if p.jurisdiction == home and within_reach(p)), default=-1)
        return tuple(p for p in every.pathways if p.jurisdiction != home and p.contact_rank > best and within_reach(p))

    def states_compared(self) -> list[dict]:
        """Each state with its authorizations side by side: what each allows, for how long, where,
        who qualifies, and its fees, each with its sources (the knowledge browser's states page)."""
        from .knowledge_items import listing

        by_state: dict[str, list] = {}
        for a in listing(self.kb, "authorizations"):
            by_state.setdefault(a.get("jurisdiction") or DEFAULT_JURISDICTION, []).append({
                "id": a["id"], "code": a["code"], "name": a["name"], "purpose": a["purpose"]["text"],
                "time": a["time_restrictions"]["text"], "where": a["location_restrictions"]["text"],
                "qualifications": [q["text"] for q in a.get("qualifications", [])],
                "fees": [{"text": f["text"], "usd": f.get("usd")} for f in a.get("fees", [])],
                "citations": a["citations"]})
        return [{**state, "authorizations": by_state.get(state["code"], [])} for state in self.states()]

    # Reforms and simulations ---------------------------------------------------------

    @property
    def root(self) -> Path:
        from ..rules.location import KNOWLEDGE_ROOT

        return self._root or KNOWLEDGE_ROOT

    def read_reforms(self, names: Iterable[str], values: Mapping[str, Mapping[str, str]] | None = None) -> list:
        """Reforms by id (the knowledge base's reforms/) or by file, each with its parameters set:
        `values` maps a reform id (or "" for every reform that declares the name) to
        {parameter: text}. ReformError names the file, line and reason."""
        from ..rules.reform import ReformError, find_reform, read_reform
        from ..rules.yamlfile import Problem

        found, wanted = [], list(names)
        while wanted:
            name = wanted.pop(0)
            path = find_reform(name, self.root)
            if path is None:
                known = ", ".join(r["id"] for r in self.reforms())
                raise ReformError([Problem("--reform", None, f"no reform {name!r}; accepted: a reform file, or one of {known}")])
            reform = read_reform(path)
            if any(r.id == reform.id for r in found):
                continue
            missing = [r for r in reform.requires if not any(f.id == r for f in found)]
            if missing:  # what it builds on comes first
                wanted = missing + [name] + wanted
                continue
            given = {k: v for k, v in (values or {}).get("", {}).items() if k in reform.parameters}
            given.update((values or {}).get(reform.id, {}))
            found.append(read_reform(path, given) if given else reform)
        loose = set((values or {}).get("", {})) - {k for r in found for k in r.parameters}
        if loose:
            raise ReformError([Problem("--param", None, f"no reform given declares {', '.join(sorted(loose))}")])
        return found

    def check_reforms(self) -> list:
        """Problems (file, line, reason) of the shipped reforms, each applied with what it builds on."""
        from ..rules.reform import ReformError, shipped_reforms

        problems = []
        for path in shipped_reforms(self.root):
            try:
                self.reformed(self.read_reforms([path.stem]))
            except ReformError as error:
                problems += error.problems
        return problems

    def reform_sources(self, reforms: list) -> list[dict]:
        """Every source the reforms cite (their own or the knowledge base's), once each, in order."""
        seen, out = set(), []

        def cited(value):
            if isinstance(value, dict):
                for k, v in value.items():
                    yield from (v if k == "cite" and isinstance(v, list) else cited(v))
            elif isinstance(value, list):
                for v in value:
                    yield from cited(v)

        for r in reforms:
            for sid in [*r.citations, *cited(r.changes)]:
                source = r.sources.get(sid) or self.kb.sources.get(sid)
                if source is not None and sid not in seen:
                    seen.add(sid)
                    out.append({"id": sid, "label": source.label, "title": source.title, "address": source.address,
                                "checked": source.checked.isoformat()})
        return out

    def reforms(self) -> list[dict]:
        """The reforms the project ships (the article's recommendations), described."""
        from ..rules.reform import read_reform, shipped_reforms

        return [read_reform(path).describe() for path in shipped_reforms(self.root)]

    def reformed(self, reforms: list, on: date | None = None) -> "Engine":
        """An engine over the knowledge base with the reforms in force `on` applied, in memory."""
        from ..rules.reform import apply_reforms

        return Engine(apply_reforms(self.kb, reforms, on))

    def simulate(self, chunks, reforms: list = (), as_of: date | None = None, compare_as_of: date | None = None,
                 state: str | None = None, on_chunk=None, people=None, income_groups: dict | None = None) -> dict:
        """Baseline and reform (or the baseline on `compare_as_of`) over a population given in
        chunks (`population`, `synthetic_population`, or `people_chunk` of checked profiles): the
        contract's simulation JSON (section 6) and more."""
        from .simulate import Side, report, simulate

        day = self.as_of(None, as_of)
        places = self.jurisdictions(state)
        baseline = Side.of(self, day, places)
        if compare_as_of is not None:
            other_day = self.as_of(None, compare_as_of)
            second, second_info = Side.of(self, other_day, places), {"ids": [], "as_of": other_day.isoformat()}
        else:
            second = Side.of(self.reformed(list(reforms), day), day, places)
            second_info = {"ids": [r.id for r in reforms], "as_of": day.isoformat(),
                           "parameters": {r.id: r.values for r in reforms if r.values}}
        tally = simulate(chunks, baseline, second, on_chunk, people, income_groups)
        return report(tally, day, second_info, baseline.ids(), second.ids())

    @staticmethod
    def people_chunk(facts: list) -> object:
        """Checked people (Profile.facts) as one chunk for `simulate`."""
        from .population import FactsChunk

        return FactsChunk(list(facts))

    def rank_reforms(self, population, ids: list[str] | None = None, as_of: date | None = None,
                     state: str | None = None, values=None) -> list[dict]:
        """Each reform alone over the same population (`population()`: a fresh iterator of its
        chunks each time), ranked by the people for whom hands-on care opens, then by gains."""
        ranking = []
        for reform_id in ids or [r["id"] for r in self.reforms()]:
            reforms = self.read_reforms([reform_id], values)
            result = self.simulate(population(), reforms, as_of, None, state)
            ranking.append({"id": reform_id, "name": reforms[-1].name, "with": [r.id for r in reforms[:-1]],
                            "gained_hands_on": result["gained_hands_on"], "gained": result["gained"],
                            "lost": result["lost"], "population": result["population"]})
        return sorted(ranking, key=lambda r: (-r["gained_hands_on"], -r["gained"], r["lost"], r["id"]))

    def population(self, path: Path, chunk: int | None = None):
        from .population import CHUNK, read_population

        return read_population(Path(path), self.checker, chunk or CHUNK)

    def synthetic_population(self, n: int, seed: int = 0, marginals: str = "would-be-trainees", chunk: int | None = None):
        from .synthetic import CHUNK, draw

        return draw(self._population_file(f"{marginals}.yaml"), n, seed, self.kb.facts, chunk or CHUNK)

    def _population_file(self, name: str) -> dict:
        from ..rules.loader import KnowledgeError
        from ..rules.yamlfile import read_yaml

        file, problems = read_yaml(self.root / "populations" / name, f"populations/{name}")
        if file is None:
            raise KnowledgeError(problems)
        return file.data

    def income_groups(self) -> dict:
        """ISO code -> World Bank income group, from knowledge/populations/income-groups.yaml."""
        if not (self.root / "populations" / "income-groups.yaml").exists():
            return {}
        return dict(self._population_file("income-groups.yaml").get("groups", {}))

    def state_name(self, code: str) -> str:
        found = self.kb.jurisdictions.get(code)
        return found.name if found else code

    def explain(self, data: Any, pathway_id: str, as_of: date | None = None) -> "PathwayVerdict":
        """One pathway's verdict, whatever the person's category; UnknownPathway if there is none."""
        day = self.as_of(None, as_of)
        profile, rules = self._profile(data), self.rules(day)
        pathway = next((p for p in rules.pathways if p.id == pathway_id), None)
        if pathway is None:
            raise UnknownPathway(pathway_id, [p.id for p in rules.pathways])
        return self._builder(day).pathway(judge(pathway, rules.evaluate(profile.facts)), profile)

    plan = explain  # a pathway's verdict carries its plan: steps with dates, timeline, costs

    def pathway_ids(self) -> list[str]:
        return [p.id for p in self.rules(date.today()).pathways]

    # The knowledge base, for listings, the browser and the workspace --------------------

    @property
    def version(self) -> str:
        """A fingerprint of the knowledge base: verdicts made under another one may have moved."""
        return self._key or "in-memory"

    def knowledge_kinds(self) -> list[str]:
        from .knowledge_items import KINDS

        return list(KINDS) + ["sources"]

    def knowledge(self, kind: str) -> list[dict]:
        """Every item of a kind (visas, authorizations, pathways, policies, programs...), JSON-ready."""
        from .knowledge_items import listing

        return listing(self.kb, kind)

    def knowledge_item(self, kind: str, item_id: str) -> dict | None:
        """One item with every source it cites; None if there is none with that id."""
        from .knowledge_items import item

        return item(self.kb, kind, item_id)

    def detail(self, item_id: str) -> dict | None:
        """A visa, authorization or pathway by its code or id, with its sources."""
        from .knowledge_items import detail

        return detail(self.kb, item_id)

    def categories(self) -> list[dict]:
        """The article's categories: id, name, figure number."""
        return [{"id": c.id, "name": c.name, "figure": c.figure} for c in self.kb.categories.values()]

    def figure(self, category: str, state: str | None = None) -> dict | None:
        """The article's figure for a category as data (each pathway's visa, authorization and
        contact); with `state`, that state's pathways for the category instead. ProfileError
        names `state` when it is not a jurisdiction."""
        from .knowledge_items import figure

        if state is not None and state not in self.kb.jurisdictions:
            raise ProfileError([FieldProblem("state", f"unknown jurisdiction {state!r}; a diagram is of one state: "
                                                      f"{', '.join(sorted(self.kb.jurisdictions))}")])
        found = figure(self.kb, category, state)
        if found is not None and state is not None:
            found["state_name"] = self.state_name(state)
        return found

    def pathways(self) -> list[dict]:
        """Every pathway: id, name, visa, authorization, patient contact, categories, and whether a host
        programme that uses it works through an affiliation agreement."""
        agreement = {p for g in self.kb.programs.values() if g.kind == "affiliation-agreement" for p in g.pathways}
        return [{"id": p.id, "name": p.name, "visa": p.visa, "authorization": p.authorization,
                 "patient_contact": p.patient_contact, "categories": list(p.categories),
                 "needs_agreement": p.id in agreement} for p in self.kb.pathways.values()]

    def check_knowledge(self, today: date | None = None) -> list:
        """Every problem of the knowledge files, with file and line; stale facts as severity "stale"."""
        from ..rules.loader import check_knowledge

        return check_knowledge(self._root, today=today) if self._root else []

    # The interview and the words of questions -------------------------------------------

    def next_question(self, profile: Profile, skipped: Iterable[str] = (), as_of: date | None = None,
                      state: str | None = None):
        """Where the interview stands for this profile: the next question (None when done), its
        phase (wish, eligibility, planning) and why it ended (interview.Progress). The pages and
        the API both ask through this, so they ask the same questions in the same order."""
        from .interview import Interviewer

        rules = self.rules(self.as_of(profile, as_of))
        labels = {name: self.labels(name) for name, d in self.kb.facts.items() if d.vocabulary}
        return Interviewer(rules, self.kb.facts, self.checker.vocabularies, labels,
                           self.jurisdictions(state)).progress(profile, skipped)

    def facts(self) -> Mapping[str, Any]:
        """Every profile fact's definition: type, question, help, values and their labels."""
        return MappingProxyType(self.kb.facts)

    def question(self, fact: str):
        """The question that asks `fact` (interview.Question: words, values in order, labels,
        phase), whether or not it is the next one; KeyError if there is no such fact."""
        from .interview import question_of

        return question_of(fact, self.kb.facts[fact], self.checker.vocabularies, self.labels(fact))

    def labels(self, fact: str) -> dict[str, str]:
        """The words for each value of a fact: facts.yaml's `labels`, completed for a
        vocabulary by the knowledge base's own names (visas, countries). KeyError if unknown."""
        definition = self.kb.facts[fact]
        names: dict[str, str] = {}
        if definition.vocabulary == "countries":
            names = self.country_names()
        elif definition.vocabulary == "visas-or-none":
            names = {code: visa.name for code, visa in self.kb.visas.items()}
        return {**names, **definition.labels}

    def vocabulary(self, name: str) -> frozenset[str]:
        """The codes a fact of that vocabulary accepts (countries, visas-or-none, contact-levels)."""
        return self.checker.vocabularies[name]

    # Translations of the knowledge base's texts (rules/translations.py) -------------------

    def translations(self, language: str) -> Mapping[str, str]:
        """English text -> its translation in `language` (fr, es, pt, ar), for the translations
        still current, sentences filled from a template included (rules/translations.Translator);
        empty for English or a language the knowledge base does not have. A face shows
        `translations.get(text, text)`: English where no translation is current."""
        from ..rules.messages import short
        from ..rules.translations import LANGUAGES, Translator, translations

        if language not in LANGUAGES:
            return MappingProxyType({})
        found = self._translations.get(language)
        if found is None:  # sentences the engine fills in are matched back to their templates
            found = self._translations[language] = Translator(
                self._cached(f"translations-{language}", lambda: translations(self.root, language)), short)
        return found

    def translation_coverage(self) -> dict[str, tuple[int, int]]:
        """Language -> (texts translated and current, texts in all)."""
        from ..rules.translations import coverage

        return coverage(self.root)

    def untranslated(self, language: str, under: str = "") -> dict[str, str]:
        """Address -> English of the texts `language` lacks (or has stale), under an address prefix.
        KeyError names the languages for any other."""
        from ..rules.translations import LANGUAGES, english_texts, read_entries

        if language not in LANGUAGES:
            raise KeyError(f"{language!r} is not a language of the knowledge base; accepted: {', '.join(LANGUAGES)}")
        english = english_texts(self.root)
        done = {e.address for e in read_entries(self.root)[0]
                if e.language == language and english.get(e.address, "").strip() == e.translation.en.strip()}
        return {a: t for a, t in english.items() if a.startswith(under) and a not in done}

    # Letters (engine/letters.py) ---------------------------------------------------------

    def letter_kinds(self) -> dict:
        """The letter kinds (knowledge/letters/), read once; KnowledgeError if one is broken."""
        if self._letters is None:
            from .letters import read_kinds

            self._letters = read_kinds(self.root)
        return self._letters

    def letters(self) -> list[dict]:
        """Every letter kind with its fields, the pathways that need it and its rules."""
        from .letters import describe

        return [describe(self.kb, kind) for kind in self.letter_kinds().values()]

    def letters_for(self, pathway_id: str) -> list[dict]:
        """The letters a pathway needs, each with the plan's steps it serves."""
        from .letters import needed

        if pathway_id not in self.kb.pathways:
            raise UnknownPathway(pathway_id, sorted(self.kb.pathways))
        return needed(self.kb, self.letter_kinds(), pathway_id)

    def letter(self, kind: str, data: Any, on: date | None = None):
        """A letter composed from its data (docs/contract.md section 7): documents.compose.Letter,
        which documents.html and documents.docx lay out. LetterDataError (a ProfileError) names
        every missing or wrong field; UnknownLetterKind lists the kinds."""
        from .letters import compose_letter

        return compose_letter(self, self.letter_kinds(), kind, data, on)

    def country_names(self, language: str = "en") -> dict[str, str]:
        """ISO code -> the country's name, as the knowledge base's list gives it; in `language`
        (fr, es, pt, ar) where the list's translation is current (knowledge/i18n: Unicode CLDR's
        names, scripts/country-names), else in English."""
        said = self.translations(language)  # empty for English
        return {m.code: said.get(m.name, m.name) for m in self.kb.lists["countries"].members}

    def country_aliases(self) -> dict[str, str]:
        """Each common spelling of a country's name that the list gives (countries.yaml
        `aliases`: Ivory Coast, South Korea) -> its ISO code."""
        return {alias: m.code for m in self.kb.lists["countries"].members for alias in m.aliases}

    def country_code(self, text: str) -> str | None:
        """The ISO code of the country `text` names: its code, its name or one of its aliases
        (countries.yaml), or its name in French, Spanish, Portuguese or Arabic ("Ouganda",
        "السودان"), in any case, with or without accents and punctuation. None for anything
        else: no spelling is guessed."""
        from .interview import name_key

        index = getattr(self, "_country_index", None)
        if index is None:
            index = self._country_index = self._cached("country-index", self._country_keys)
        key = name_key(text)
        return index.get(key) if key else None

    def _country_keys(self) -> dict[str, str]:
        """Matching key -> ISO code: the English names and aliases first, then each language's
        names (no name of one language means another country in another: tests check it)."""
        from ..rules.translations import LANGUAGES
        from .interview import name_key

        index: dict[str, str] = {}
        for m in self.kb.lists["countries"].members:
            for name in (m.code, m.name, *m.aliases):
                index.setdefault(name_key(name), m.code)
        for language in LANGUAGES:
            for code, name in self.country_names(language).items():
                index.setdefault(name_key(name), code)
        return index

    def country_codes(self, text: str) -> tuple[list[str], list[str]]:
        """(codes, not understood) for nationalities separated by commas: "Uganda, KE" ->
        (["UG", "KE"], []); the Arabic comma separates too. A name that holds a comma ("Korea,
        Republic of") is read whole."""
        parts = [p.strip() for p in text.replace("،", ",").split(",")]
        codes: list[str] = []
        unknown: list[str] = []
        i = 0
        while i < len(parts):
            if not parts[i]:
                i += 1
                continue
            for j in range(len(parts), i, -1):  # the longest run of parts that names a country
                code = self.country_code(", ".join(parts[i:j]))
                if code:
                    if code not in codes:
                        codes.append(code)
                    i = j
                    break
            else:
                unknown.append(parts[i])
                i += 1
        return codes, unknown

    def find_lines(self, lines: Iterable[str], as_of: date | None = None, state: str | None = None,
                   detail: str = "full") -> Iterator[tuple[bytes, int]]:
        """`find` over the lines of a JSON Lines batch, all on one day (`as_of`, else today): blocks
        of UTF-8 output, a line for each line that is not blank (the compact JSON of
        `verdict_json` at `detail`, or {"line": N, "errors": [...]}), each block with how many
        of its lines were invalid. The same text as single finds, faster (engine/batch.py)."""
        from .batch import BatchFind

        return BatchFind(self, as_of, state, detail).run(lines)

    def find_batch(self, items: Iterable[Any], as_of: date | None = None,
                   state: str | None = None) -> Iterator["Verdict | ProfileError"]:
        for data in items:
            try:
                yield self.find(data, as_of, state)
            except ProfileError as error:
                yield error
