"""The scenario format of tests/shared-scenarios/README.md: what an evaluation must show."""

from __future__ import annotations

import re


def _matches(pathway: dict, keys: dict) -> bool:
    return all(pathway.get(k) == v for k, v in keys.items())


def failures(expect: dict, exit_code: int, stdout_json: dict | None, stderr: str) -> list[str]:
    """Every expectation the run does not meet, as sentences (empty when it passes)."""
    problems = []
    wanted_code = expect.get("exit_code", 0)
    if exit_code != wanted_code:
        problems.append(f"exit code {exit_code}, expected {wanted_code} (stderr: {stderr.strip()[:300]})")
    for word in expect.get("stderr_mentions", []):
        if word not in stderr:
            problems.append(f"standard error does not mention {word!r}: {stderr.strip()[:300]}")
    if wanted_code != 0:
        return problems
    if stdout_json is None:
        return problems + ["no JSON on standard output"]
    pathways = stdout_json["pathways"]
    if "category" in expect and stdout_json["category"] != expect["category"]:
        problems.append(f"category {stdout_json['category']!r}, expected {expect['category']!r}")
    for keys in expect.get("has", []):
        if not any(_matches(p, keys) for p in pathways):
            seen = [{k: p.get(k) for k in keys} for p in pathways if p.get("visa") == keys.get("visa")]
            problems.append(f"no pathway matches {keys}; pathways with that visa: {seen}")
    may_be_absent = expect.get("not_open_may_be_absent", False)
    for keys in expect.get("not_open", []):
        matching = [p for p in pathways if _matches(p, keys)]
        if not matching and not may_be_absent:
            seen = [{k: p.get(k) for k in keys} for p in pathways if p.get("visa") == keys.get("visa")]
            problems.append(f"no pathway matches {keys}, so `not_open` shows nothing (say not_open_may_be_absent: "
                            f"true if none should be listed); pathways with that visa: {seen}")
        opened = [p["id"] for p in matching if p["status"] == "open"]
        if opened:
            problems.append(f"{opened} match {keys} and are open")
    if expect.get("none_open") and any(p["status"] == "open" for p in pathways):
        problems.append(f"open: {[p['id'] for p in pathways if p['status'] == 'open']}, expected none")
    for rule in expect.get("warns", []):
        pattern = re.compile(rule["pattern"])
        if not any(_matches(p, rule["where"]) and any(pattern.search(w) for w in p["warnings"]) for p in pathways):
            problems.append(f"no pathway matching {rule['where']} warns /{rule['pattern']}/")
    problems += _timelines(expect.get("timeline", []), stdout_json, pathways)
    for rule in expect.get("programs", []):
        hits = [p for p in pathways if _matches(p, rule["where"])]
        if not any(rule["has"] in [g["id"] for g in p.get("programs", [])] for p in hits):
            problems.append(f"no pathway matching {rule['where']} lists programme {rule['has']!r}")
    problems += _parts(expect, pathways)
    for rule in expect.get("no_warning", []):
        pattern = re.compile(rule["pattern"])
        hits = [p["id"] for p in pathways if _matches(p, rule["where"]) and any(pattern.search(w) for w in p["warnings"])]
        if hits:
            problems.append(f"{hits} warn /{rule['pattern']}/, expected no such warning")
    return problems


_COMPARE = {"before": lambda a, b: a < b, "after": lambda a, b: a > b, "on or before": lambda a, b: a <= b,
            "on or after": lambda a, b: a >= b, "on": lambda a, b: a == b}


def _timelines(rules: list, stdout_json: dict, pathways: list) -> list[str]:
    """`timeline` expectations: a timeline key compared with `start_date`, `as_of` or an ISO
    date ("likely_start: before start_date", "begin_by: on or after as_of"), or equal to a value."""
    problems = []
    for rule in rules:
        hits = [p for p in pathways if _matches(p, rule["where"])]
        if not hits:
            problems.append(f"no pathway matches {rule['where']} for a timeline expectation")
        for p in hits:
            timeline = p["timeline"]
            for key, wanted in rule.items():
                if key == "where":
                    continue
                value = timeline.get(key)
                if not isinstance(wanted, str) or " " not in wanted:
                    if value != wanted:
                        problems.append(f"{p['id']}: timeline {key} is {value!r}, expected {wanted!r}")
                    continue
                words, _, other = wanted.rpartition(" ")
                against = {"start_date": timeline.get("start_date"), "as_of": stdout_json["as_of"]}.get(other, other)
                if value is None or against is None or not _COMPARE[words](value, against):
                    problems.append(f"{p['id']}: timeline {key} is {value}, expected {wanted} ({against})")
    return problems


# Steps and cost items by id (the project's own scenarios; the shared format has none):
# `has_step: [{where: {...}, step: visa-interview}]`, `no_step`, `has_cost: [{where, cost: mrv-fee}]`, `no_cost`.
_PARTS = {"step": lambda p: [s["id"] for s in p.get("steps", [])],
          "cost": lambda p: [i["id"] for i in (p.get("cost_usd") or {}).get("items", [])]}


def _parts(expect: dict, pathways: list) -> list[str]:
    problems = []
    for part, ids in _PARTS.items():
        for rule in expect.get(f"has_{part}", []):
            hits = [p for p in pathways if _matches(p, rule["where"])]
            if not hits or not all(rule[part] in ids(p) for p in hits):
                problems.append(f"not every pathway matching {rule['where']} has {part} {rule[part]!r} "
                                f"({[p['id'] for p in hits]})")
        for rule in expect.get(f"no_{part}", []):
            hits = [p for p in pathways if _matches(p, rule["where"])]
            if not hits:
                problems.append(f"no pathway matches {rule['where']}, so no_{part} shows nothing")
            bad = [p["id"] for p in hits if rule[part] in ids(p)]
            if bad:
                problems.append(f"{bad} have {part} {rule[part]!r}, expected none")
    return problems
