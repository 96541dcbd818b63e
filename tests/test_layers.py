"""The layers point one way (STYLE.md): no import cycles between the package's modules, the
domain imports neither Dash nor Flask, and only the composition root puts the UI together."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dashapp"
SURFACES = ("dashapp.ui", "dashapp.web", "dashapp.api", "dashapp.factory")


def module_imports() -> dict[str, tuple[set[str], set[str]]]:
    """Each module's (top-level imports, every import) by dotted name."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text())
        top, every = set(), set()
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            every.update(names)
            if node in tree.body:
                top.update(names)
        found[name] = (top, every)
    return found


def test_no_import_cycles():
    imports = module_imports()
    graph = {m: {t for t in top if t in imports and t != m} for m, (top, _) in imports.items()}
    cycles, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def test_the_domain_imports_neither_dash_nor_flask():
    leaks = sorted(
        f"{module} imports {target}"
        for module, (_, every) in module_imports().items()
        if not module.startswith(SURFACES)
        for target in every
        if target.split(".")[0] in {"dash", "flask", "flask_login", "dash_ag_grid"}
    )
    assert leaks == []


def test_only_the_composition_root_imports_the_ui():
    users = sorted(
        module
        for module, (_, every) in module_imports().items()
        if not module.startswith(("dashapp.ui", "dashapp.factory"))
        and any(t == "dashapp.ui" or t.startswith("dashapp.ui.") for t in every)
    )
    assert users == []
