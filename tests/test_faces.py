"""The faces (the CLI, the web app and API, the presentation helpers) use only the public
library: `pathways` itself (Engine, verdict_json, ...) and each other, never the core's
modules (pathways.engine.*, pathways.rules.*, pathways.knowledge...). Nor do they reach into
the engine: no `.kb`, no private attribute of an engine.

Every import is read with `ast`, those inside functions too; relative imports are resolved
to absolute module names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "pathways"
FACES = ("cli", "web", "present")
ALLOWED = ("pathways.cli", "pathways.web", "pathways.present")
ENGINE_NAMES = {"engine", "_engine", "get_engine"}  # what a face calls its engine


def face_files() -> list[Path]:
    return sorted(p for face in FACES for p in (PACKAGE / face).rglob("*.py"))


def module_of(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(path: Path, module: str | None, level: int) -> str:
    """The absolute name of `from <level dots><module> import ...` written in `path`."""
    if level == 0:
        return module or ""
    package = module_of(path).split(".")
    if path.name != "__init__.py":
        package.pop()  # a module's package is its parent
    base = package[: len(package) - (level - 1)]
    if level - 1 > len(package) - 1:
        raise ValueError(f"{path}: relative import beyond the top package")
    return ".".join(base + ([module] if module else []))


def is_module(name: str) -> bool:
    path = SRC.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _parse(path: Path, source: str | None) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8") if source is None else source, filename=str(path))


def imported_modules(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module name) for every module the file imports, wherever the import is;
    `source` stands for the file's text (to check the check)."""
    tree = _parse(path, source)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(path, node.module, node.level)
            found.append((node.lineno, base))
            for alias in node.names:  # `from pathways import engine` imports a module, too
                if alias.name != "*" and is_module(f"{base}.{alias.name}"):
                    found.append((node.lineno, f"{base}.{alias.name}"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
              and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


def forbidden(name: str) -> bool:
    if name == "pathways" or not name.startswith("pathways."):
        return False
    return not any(name == a or name.startswith(a + ".") for a in ALLOWED)


def _engine_expression(node: ast.AST) -> bool:
    """`engine`, `self.engine`, `get_engine()`, `_engine()`: what a face holds its engine as."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id in ENGINE_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in ENGINE_NAMES
    return False


def reaching_in(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    tree = _parse(path, source)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr == "kb":
            found.append((node.lineno, f"{ast.unparse(node)} (the knowledge base behind the engine)"))
        elif node.attr.startswith("_") and not node.attr.startswith("__") and _engine_expression(node.value):
            found.append((node.lineno, f"{ast.unparse(node)} (a private attribute of the engine)"))
    return found


def test_the_resolution_of_relative_imports():
    cli = PACKAGE / "cli" / "app.py"
    assert resolve(cli, "engine.core", 2) == "pathways.engine.core"
    assert resolve(cli, None, 1) == "pathways.cli"
    assert resolve(PACKAGE / "web" / "__init__.py", "engine", 1) == "pathways.web.engine"
    assert resolve(PACKAGE / "web" / "finder" / "views.py", "rules.profile", 3) == "pathways.rules.profile"
    assert forbidden("pathways.engine.core") and forbidden("pathways.rules")
    assert not forbidden("pathways") and not forbidden("pathways.web.engine") and not forbidden("django.db")
    assert not forbidden("pathways_other")


def test_the_check_catches_a_core_import_and_reaching_into_the_engine():
    # the checks themselves can fail: a face written the forbidden way is caught, line by line
    face = PACKAGE / "web" / "finder" / "example.py"  # read as if it were there
    source = ("from pathways import Engine\n"
              "from .. import engine\n"
              "def f():\n"
              "    from ...engine.plan import days\n"
              "    import pathways.rules.loader\n"
              "    from pathways import rules\n"
              "    return get_engine().kb, get_engine()._key, engine._builder(1), engine.version, self._cache\n")
    bad = [(line, name) for line, name in imported_modules(face, source) if forbidden(name)]
    assert bad == [(4, "pathways.engine.plan"), (5, "pathways.rules.loader"), (6, "pathways.rules")]
    found = sorted((line, what.split(" ")[0]) for line, what in reaching_in(face, source))
    assert found == [(7, "engine._builder"), (7, "get_engine()._key"), (7, "get_engine().kb")]


def test_there_are_faces_to_check():
    files = face_files()
    assert len(files) > 10
    for face in FACES:
        assert any(f.is_relative_to(PACKAGE / face) for f in files), face


@pytest.mark.parametrize("path", face_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_face_imports_only_the_public_library(path):
    bad = [f"{path.relative_to(SRC)}:{line}: imports {name}" for line, name in imported_modules(path) if forbidden(name)]
    assert not bad, "a face imports the core instead of `pathways`:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", face_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_face_does_not_reach_into_the_engine(path):
    bad = [f"{path.relative_to(SRC)}:{line}: reads {what}" for line, what in reaching_in(path)]
    assert not bad, "a face reads what the engine keeps to itself:\n" + "\n".join(bad)
