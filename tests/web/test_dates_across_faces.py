"""One verdict, four faces: every scenario with a start date gives the same dates through
`pathways find`, `pathways plan`, the API and the result page.

The shared scenarios with a start date run here as they appear (the outside checks have more
of the same kind), and so do our own (tests/scenarios), so the test never passes on nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml

from pathways.rules.profile_file import read_profile

HERE = Path(__file__).resolve().parent.parent
FOLDERS = [HERE / "shared-scenarios", HERE / "scenarios"]
DATES = ("earliest_start", "likely_start", "begin_by", "begin_by_safe", "ready_by")


def _with_start_date() -> list[Path]:
    found = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.yaml")):
            scenario = yaml.safe_load(path.read_text())
            expect = scenario.get("expect") or {}
            if (scenario.get("profile") or {}).get("start_date") and expect.get("exit_code", 0) == 0:
                found.append(path)
    return found


SCENARIOS = _with_start_date()


def test_there_are_scenarios_with_start_dates():
    assert len(SCENARIOS) >= 3


def _cli(*args) -> dict:
    run = subprocess.run([sys.executable, "-m", "pathways.cli", *map(str, args)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _query(profile: dict, as_of) -> str:
    """The profile as the result page's address: one parameter per fact (host facts as host.KEY)."""
    pairs = []
    for key, value in profile.items():
        items = [(f"host.{k}", v) for k, v in value.items()] if key == "host" else [(key, value)]
        for name, v in items:
            if isinstance(v, bool):
                v = "true" if v else "false"
            elif isinstance(v, list):
                v = ",".join(v)
            pairs.append((name, str(v)))
    return urlencode(pairs + [("as_of", str(as_of))], safe=",")


def _dates(pathway: dict) -> dict:
    return {k: pathway["timeline"][k] for k in DATES}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_find_plan_api_and_page_give_the_same_dates(path, client):
    profile, as_of = read_profile(str(path))
    found = _cli("find", path, "--json", "--as-of", as_of)
    assert found["as_of"] == str(as_of)
    api = client.post(f"/api/v1/evaluate?as_of={as_of}", json.dumps(profile, default=str), content_type="application/json")
    assert api.status_code == 200
    by_id = {p["id"]: p for p in api.json()["pathways"]}
    page = client.get(f"/result/?{_query(profile, as_of)}").content.decode()
    for pathway in found["pathways"]:
        dates = _dates(pathway)
        assert dates == _dates(by_id[pathway["id"]]), pathway["id"]
        plan = _cli("plan", path, pathway["id"], "--json", "--as-of", as_of)
        assert _dates(plan) == dates, pathway["id"]
        if pathway["reachable"]:  # the page shows the timeline of every pathway a person can act on
            section = page[page.index(f'id="pathway-{pathway["id"]}"'):]
            section = section[:section.index("</article>")]
            assert pathway["timeline"]["likely_start"] in section and pathway["timeline"]["earliest_start"] in section
            if pathway["timeline"]["late"]:
                assert "Late: begin now" in section
            else:
                assert pathway["timeline"]["begin_by"] in section
