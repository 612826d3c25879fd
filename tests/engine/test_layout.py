"""The engine's layout: knowledge modules are leaves (no rule modules, no rules registered), rule modules import
the model and the knowledge only, no module imports inside a function, and no import circle in assistant/engine."""

from __future__ import annotations

import ast
from pathlib import Path

import assistant.engine
from assistant.engine import all_rules
from assistant.engine.model import TOPICS

ENGINE = Path(assistant.engine.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ENGINE.rglob("*.py")):
        parts = path.relative_to(ENGINE.parent.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path) -> tuple[set[str], list[int]]:
    """(assistant.engine modules imported at module level, line numbers of imports inside a def or class)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    nested: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            nested += [n.lineno for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant.engine"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)  # `from pkg import module`
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("assistant.engine"))
    return found, nested


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m in _imports(path)[0] if m in modules and m != name} for name, path in modules.items()}


def test_no_import_inside_a_function() -> None:
    for name, path in _modules().items():
        assert not _imports(path)[1], f"{name} imports inside a function or class at lines {_imports(path)[1]}"


def test_no_import_circle() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        assert node not in stack, "import circle: " + " -> ".join([*stack[stack.index(node) :], node])
        if node in done:
            return
        for nxt in sorted(graph[node]):
            if nxt != "assistant.engine" or node == "assistant.engine.compare":  # a package imports its modules
                visit(nxt, [*stack, node])
        done.add(node)

    for name in graph:
        visit(name, [])


def test_knowledge_is_a_leaf_and_rules_import_only_model_and_knowledge() -> None:
    graph = _graph()
    for name, deps in graph.items():
        if ".knowledge" in name:
            bad = {d for d in deps if ".rules" in d or d in ("assistant.engine", "assistant.engine.compare")}
            assert not bad, f"knowledge module {name} imports {bad}"
        if ".rules." in name:
            bad = {d for d in deps if not (d == "assistant.engine.model" or ".knowledge" in d)}
            assert not bad, f"rule module {name} imports {bad}"


def test_every_rule_lives_in_its_topic_module_and_knowledge_registers_none() -> None:
    for r in all_rules():
        assert r.fn.__module__ == f"assistant.engine.rules.{r.topic}", (r.id, r.fn.__module__)
    assert {r.topic for r in all_rules()} == set(TOPICS)
