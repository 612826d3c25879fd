"""Guideline profiles in the app: switch profile (F8 cycles, palette commands), and the side-by-side
comparison (F7) in a modal screen drawn as a Rich table of `Text` cells (no markup is ever parsed).

Both go through the conversation as ordinary turns ("use the ACP profile", "compare guidelines"), so the
transcript, the journal and the chat show them like anything typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from assistant.render_compare import ShownComparison

PROFILE_ORDER: tuple[str, ...] = ("us", "aace", "acp", "endocrine")
# What the app types to switch profile (the parser's profile cues, corpus/lexicon.yaml).
SWITCH_PHRASES: dict[str, str] = {
    "us": "use the US profile",
    "aace": "use the AACE profile",
    "acp": "use the ACP profile",
    "endocrine": "use the Endocrine Society profile",
}
PROFILE_TITLES: dict[str, str] = {
    "us": "US default (BHOF 2022)",
    "aace": "AACE/ACE 2020",
    "acp": "ACP 2023",
    "endocrine": "Endocrine Society 2019/2020",
}
COMPARE_PHRASE = "compare guidelines"


def next_profile(current: str) -> str:
    i = PROFILE_ORDER.index(current) if current in PROFILE_ORDER else -1
    return PROFILE_ORDER[(i + 1) % len(PROFILE_ORDER)]


def comparison_table(c: ShownComparison) -> Table:
    """The comparison as a Rich table: one column per profile, differing rows marked; cells are Text."""
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column(Text(""), ratio=1, no_wrap=False)
    for pid in c.profiles:
        name = c.names[pid]
        table.add_column(Text(name + (" (in use)" if pid == c.current else "")), ratio=2, no_wrap=False)
    for row in c.rows:
        label = Text(row.label, "bold")
        if row.differ:
            label.append("\ndiffers", "bold yellow")
        table.add_row(label, *(Text(cell.rendered) for cell in row.cells))
    return table


def comparison_footer(c: ShownComparison) -> Text:
    out = Text()
    for note in c.notes:
        out.append("• " + note.rendered + "\n")
    out.append(c.summary.rendered + "\n", "bold")
    out.append("Numbers in brackets are the citations of the answer in the chat (F5 lists them).", "dim")
    return out


class CompareScreen(ModalScreen[None]):
    """The side-by-side view of the last comparison. Esc closes."""

    BINDINGS = [Binding("escape,q,f7", "close", "Close")]

    def __init__(self, comparison: ShownComparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        c = self.comparison
        title = Text("Guidelines side by side", "bold")
        title.append(f"  (profile in use: {c.names.get(c.current, c.current)})", "dim")
        with Vertical(id="compare-box", classes="modal-box"):
            yield Static(title, markup=False)
            with VerticalScroll(id="compare-scroll"):
                yield Static(comparison_table(c), id="compare-table", markup=False)
                yield Static(comparison_footer(c), id="compare-notes", markup=False)
            yield Static(Text("Esc close   F8 next profile", "dim"), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = [
    "COMPARE_PHRASE",
    "CompareScreen",
    "PROFILE_ORDER",
    "PROFILE_TITLES",
    "SWITCH_PHRASES",
    "comparison_table",
    "next_profile",
]
