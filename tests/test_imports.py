"""No import cycle in the core: the modules of `pathways.rules` and `pathways.engine` form a
directed acyclic graph. Every import counts, the ones inside functions too: an import
moved into a function to dodge a cycle is still a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGES = ("pathways.rules", "pathways.engine")


def module_files(src: Path, packages=PACKAGES) -> dict[str, Path]:
    """Dotted module name -> file, for every module under the packages."""
    found = {}
    for package in packages:
        folder = src.joinpath(*package.split("."))
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(src).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(module, line) for every import in the file, wherever it stands, that names a known module."""
    is_package = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module
            # `from package import module` imports the module; `from module import name`, the module
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for name in names:
            # `import a.b.c` runs a.b.c: take the longest known module the name starts with
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:  # a package's __init__ naming itself (`from . import x`) is no edge
                out.append((name, node.lineno))
    return out


def import_graph(src: Path = SRC, packages=PACKAGES) -> dict[str, dict[str, int]]:
    """module -> {imported module: the first line importing it}, within the packages."""
    files = module_files(src, packages)
    known = set(files)
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        edges = graph.setdefault(module, {})
        for target, line in _imported(module, path, known):
            edges.setdefault(target, line)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle (first module repeated at the end) for each strongly connected group of modules
    that import each other, found with Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph.get(v, {}):
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_cycle_in(graph, set(group)) for group in groups]


def _cycle_in(graph, group: set[str]) -> list[str]:
    """A path from the group's first module back to itself, staying inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:  # breadth first, so the cycle named is a shortest one
        following = []
        for v in frontier:
            for w in sorted(graph[v]):
                if w == start:
                    return paths[v] + [start]
                if w in group and w not in paths:
                    paths[w] = paths[v] + [w]
                    following.append(w)
        frontier = following
    raise AssertionError(f"no cycle through {start} in {sorted(group)}")


def _described(graph, cycle: list[str], files: dict[str, Path]) -> str:
    steps = [f"{a} (line {graph[a][b]} of {files[a].relative_to(SRC)}) imports {b}" for a, b in zip(cycle, cycle[1:])]
    return " -> ".join(cycle) + ":\n    " + "\n    ".join(steps)


def test_the_rules_and_the_engine_import_without_a_cycle():
    graph = import_graph()
    assert "pathways.rules.loader" in graph and "pathways.engine.rules" in graph  # the graph is not empty
    assert "pathways.rules.lint" in graph["pathways.rules.loader"]  # and holds the edges it should
    found = cycles(graph)
    files = module_files(SRC)
    assert not found, "import cycles:\n" + "\n".join(_described(graph, c, files) for c in found)


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_an_import_inside_a_function_that_closes_a_cycle_is_found(tmp_path):
    src = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from .b import thing\n",
        "b.py": "def thing():\n    from . import a\n    return a\n",
        "c.py": "from pkg import a\nimport pkg.b\n",
    })
    graph = import_graph(src, ("pkg",))
    assert graph["pkg.a"] == {"pkg.b": 1} and graph["pkg.b"] == {"pkg.a": 2}
    assert graph["pkg.c"] == {"pkg.a": 1, "pkg.b": 2}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_relative_imports_resolve_from_a_subpackage_and_its_init(tmp_path):
    src = _package(tmp_path, {
        "__init__.py": "from .sub import leaf\n",
        "top.py": "",
        "sub/__init__.py": "from . import leaf\nfrom ..top import x\n",
        "sub/leaf.py": "from .. import top\nfrom ...outside import y\n",
    })
    graph = import_graph(src, ("pkg",))
    assert graph["pkg"] == {"pkg.sub.leaf": 1}
    assert graph["pkg.sub"] == {"pkg.sub.leaf": 1, "pkg.top": 2}
    assert graph["pkg.sub.leaf"] == {"pkg.top": 1}
    assert cycles(graph) == []
