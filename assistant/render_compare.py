"""Comparison -> words: the side-by-side table in text, Markdown and JSON, with the answer's citation numbers.

Templates and labels are in prompts/compare.yaml; the cell wording in prompts/statements/profiles.yaml.
Cells hold only our statements and numbers from the facts, never user text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Template

from assistant.datafiles import read_yaml
from assistant.engine.compare import Comparison
from assistant.statements import PROMPTS_DIR, compile_template, render_statement


@dataclass(frozen=True)
class _Prompts:
    title: str
    rows: dict[str, str]
    summary_rows: dict[str, str]
    differs: str
    current: Template
    text: Template
    markdown: Template


@lru_cache(maxsize=1)
def _prompts() -> _Prompts:
    raw = read_yaml(PROMPTS_DIR / "compare.yaml")
    return _Prompts(
        title=raw["title"],
        rows=dict(raw["rows"]),
        summary_rows=dict(raw["summary_rows"]),
        differs=raw["differs"],
        current=compile_template("compare:current", raw["current"]),
        text=compile_template("compare:text", raw["text"]),
        markdown=compile_template("compare:markdown", raw["markdown"]),
    )


def _marks(numbers: list[int]) -> str:
    return f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""


@dataclass
class ShownCell:
    profile: str
    name: str
    key: str
    text: str
    numbers: list[int]
    passages: list[str]

    @property
    def rendered(self) -> str:
        return self.text + _marks(self.numbers)

    @property
    def rendered_md(self) -> str:
        return (self.text + _marks(self.numbers)).replace("|", "\\|")


@dataclass
class ShownRow:
    id: str
    label: str
    differ: bool
    cells: list[ShownCell]


@dataclass
class ShownNote:
    text: str
    numbers: list[int]
    passages: list[str]

    @property
    def rendered(self) -> str:
        return self.text + _marks(self.numbers)


@dataclass
class ShownComparison:
    """A comparison worded and numbered for one answer."""

    current: str
    profiles: list[str]
    names: dict[str, str]
    decisions: dict[str, str]
    rows: list[ShownRow]
    notes: list[ShownNote]
    summary: ShownNote
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    def _context(self) -> dict[str, Any]:
        p = _prompts()
        return {
            "title": p.title,
            "current": p.current.render(name=self.names.get(self.current, self.current)),
            "rows": self.rows,
            "names": [self.names[pid] for pid in self.profiles],
            "notes": [n.rendered for n in self.notes],
            "summary": self.summary.rendered,
            "differs": p.differs,
            "width": max(len(n) for n in self.names.values()) + 1,
        }

    def text(self) -> str:
        if "text" not in self._cache:
            self._cache["text"] = _prompts().text.render(**self._context()).rstrip()
        return self._cache["text"]

    def markdown(self) -> str:
        if "markdown" not in self._cache:
            self._cache["markdown"] = _prompts().markdown.render(**self._context()).rstrip()
        return self._cache["markdown"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile_in_use": self.current,
            "profiles": [{"id": pid, "name": self.names[pid]} for pid in self.profiles],
            "decisions": dict(self.decisions),
            "differ": [r.id for r in self.rows if r.differ],
            "rows": [
                {
                    "id": r.id,
                    "label": r.label,
                    "differ": r.differ,
                    "cells": {
                        c.profile: {"text": c.text, "key": c.key, "citations": list(c.passages)} for c in r.cells
                    },
                }
                for r in self.rows
            ],
            "notes": [{"text": n.text, "citations": list(n.passages)} for n in self.notes],
        }


def show_comparison(c: Comparison, current: str, cite: Callable[[list[str]], list[int]]) -> ShownComparison:
    """Word every cell and number its citations with the answer's `cite` (so numbers continue the answer's)."""
    p = _prompts()
    rows: list[ShownRow] = []
    for row in c.rows:
        cells = []
        for pid in c.profiles:
            cell = row.cells[pid]
            text = render_statement(cell.statement, cell.params)
            cells.append(ShownCell(pid, c.names[pid], cell.key, text, cite(cell.citations), list(cell.citations)))
        rows.append(ShownRow(row.id, p.rows.get(row.id, row.id), row.differ, cells))
    notes = [ShownNote(render_statement(n.statement, n.params), cite(n.citations), list(n.citations)) for n in c.notes]
    summary = ShownNote(summary_text(c), [], [])
    return ShownComparison(
        current=current,
        profiles=list(c.profiles),
        names=dict(c.names),
        decisions=dict(c.decisions),
        rows=rows,
        notes=notes,
        summary=summary,
    )


def summary_text(c: Comparison) -> str:
    """Where the guideline profiles differ for these facts, in one sentence (the comparison's direct answer)."""
    differing = [_prompts().summary_rows.get(r, r) for r in c.differing]
    if differing:
        return render_statement("compare-some-differ", {"rows": differing})
    return render_statement("compare-none-differ", {})


__all__ = ["ShownComparison", "show_comparison", "summary_text"]
