"""The reasoning panel (for teaching): the trace of the last answer, rule by rule.

For each rule that fired, in order: the facts it used, the threshold it applied, its conclusion and
the passages it cites (with the citation number they carry in the answer, when shown there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.tui.safe_text import clean_input

if TYPE_CHECKING:
    from assistant.engine.model import Assessment
    from assistant.render import Answer


def reasoning_text(a: Assessment | None, answer: Answer | None) -> Text:
    out = Text()
    if a is None:
        out.append("No answer yet. Ask a question; the rules that fire will be listed here.", "dim")
        return out
    from assistant.render import label
    from assistant.statements import num

    numbers = (
        {pid: n for n, rid in enumerate(answer.citations, start=1) for pid in answer.passages.get(rid, ())}
        if answer is not None
        else {}
    )
    cls = a.classification
    out.append("Question type: ", "bold")
    out.append(a.intent.value.replace("_", " ") + f"   profile: {a.profile}\n")
    if cls.category is not None:
        out.append("Classification: ", "bold")
        out.append(label("categories", cls.category.value))
        if cls.lowest_t_score is not None:
            site = f" at {label('sites', cls.site.value)}" if cls.site else ""
            out.append(f" (lowest T {num(cls.lowest_t_score)}{site})")
        out.append("\n")
    out.append("Treatment decision: ", "bold")
    out.append(label("decisions", a.decision.value) + "\n")
    if a.missing_facts:
        out.append("Would change with: ", "bold")
        out.append(", ".join(label("fields", m) for m in a.missing_facts) + "\n")
    out.append("\n")
    if not a.trace:
        out.append("No rule fired.", "dim")
        return out
    for i, step in enumerate(a.trace, start=1):
        out.append(f"{i}. ", "bold")
        out.append(clean_input(step.rule), "bold underline")
        out.append("\n   → ")
        out.append(clean_input(step.result))
        out.append("\n")
        if step.used:
            out.append("   facts: ", "dim")
            out.append(", ".join(clean_input(u) for u in step.used) + "\n")
        if step.threshold:
            out.append("   threshold: ", "dim")
            out.append(clean_input(step.threshold) + "\n")
        if step.cites:
            out.append("   cites: ", "dim")
            for j, pid in enumerate(step.cites):
                if j:
                    out.append(", ")
                n = numbers.get(pid)
                out.append(f"[{n}] " if n else "", "bold")
                out.append(clean_input(pid))
            out.append("\n")
    return out


class ReasoningPanel(VerticalScroll):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.text = reasoning_text(None, None)
        self.body = Static(self.text, id="reasoning-body", markup=False)

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.body

    def show(self, a: Assessment | None, answer: Answer | None) -> None:
        """Take the new trace; lay it out now only if the panel is on screen (a long trace costs a
        full layout pass), otherwise when the panel is next shown."""
        self.text = reasoning_text(a, answer)
        self._stale = True
        if self._visible():
            self._flush()

    def _visible(self) -> bool:
        node = self
        while node is not None:
            if not getattr(node, "display", True):
                return False
            node = node.parent  # type: ignore[assignment]
        return True

    def _flush(self) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.body.update(self.text)

    def flush_if_visible(self) -> None:
        """Called when the side panel's tab changes: lay out a trace that arrived while hidden."""
        if self._visible():
            self._flush()

    def plain(self) -> str:
        return self.text.plain
