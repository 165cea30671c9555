"""The contract and the shared scenarios travel with the repository: docs/contract.md and
tests/shared-scenarios/ are copies of the project's shared folder (CONTRACT.md and
scenarios/). Where that folder stands beside the repository (../shared), the copies must
equal it byte for byte, file for file; in a clone with nothing beside it, they must be there
and not empty. Neither case skips."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CONTRACT = REPO / "docs" / "contract.md"
SCENARIOS = REPO / "tests" / "shared-scenarios"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_the_contract_is_in_the_repository_as_in_the_shared_folder():
    assert CONTRACT.is_file() and CONTRACT.read_text(encoding="utf-8").strip(), f"{CONTRACT} is missing or empty"
    if (SHARED / "CONTRACT.md").is_file():
        assert CONTRACT.read_bytes() == (SHARED / "CONTRACT.md").read_bytes(), \
            f"{CONTRACT.relative_to(REPO)} differs from {SHARED / 'CONTRACT.md'}: copy it again"


def test_the_shared_scenarios_are_in_the_repository_as_in_the_shared_folder():
    ours = _files(SCENARIOS)
    assert "README.md" in ours and ours["README.md"].strip(), f"no README.md in {SCENARIOS}"
    assert len([n for n in ours if n.endswith(".yaml")]) >= 10, f"expected the shared scenarios in {SCENARIOS}"
    assert all(content.strip() for content in ours.values()), [n for n, c in ours.items() if not c.strip()]
    if (SHARED / "scenarios").is_dir():
        theirs = _files(SHARED / "scenarios")
        assert sorted(ours) == sorted(theirs), \
            f"only in the repository: {sorted(set(ours) - set(theirs))}; only in {SHARED / 'scenarios'}: " \
            f"{sorted(set(theirs) - set(ours))}"
        changed = [name for name in ours if ours[name] != theirs[name]]
        assert not changed, f"these differ from {SHARED / 'scenarios'}: {changed}: copy them again"
