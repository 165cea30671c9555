"""The README's contributor example works as written: one data file, one scenario."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from pathways.engine.core import Engine
from pathways import verdict_json
from pathways.rules.loader import KNOWLEDGE_ROOT, load_knowledge

from .expectations import failures

README = Path(__file__).resolve().parent.parent / "README.md"


def _blocks() -> list[str]:
    section = README.read_text().split("## Contributing", 1)[1]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)


def test_the_readme_pathway_and_scenario_work_in_a_copy_of_the_knowledge_base(tmp_path):
    pathway_text, scenario_text = _blocks()[:2]
    pathway = yaml.safe_load(pathway_text)
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    (root / "ca" / "pathways" / f"{pathway['id']}.yaml").write_text(pathway_text)
    engine = Engine(load_knowledge(root))
    scenario = yaml.safe_load(scenario_text)
    result = verdict_json(engine.find(scenario["profile"], scenario["as_of"]))
    assert failures(scenario["expect"], 0, result, "") == []
    # and without the new file the same person has no such pathway
    before = verdict_json(Engine(load_knowledge()).find(scenario["profile"], scenario["as_of"]))
    assert failures(scenario["expect"], 0, before, "") != []
