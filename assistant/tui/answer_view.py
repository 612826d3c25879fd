"""An answer drawn from its Markdown, fast: headings, bullets with hanging indents, bold and italic,
and citation marks "[1, 2]" that open the passage when clicked.

Textual's Markdown widget builds one widget per block; a full answer (~20 KB, ~100 bullets) took
about 2 s to mount on this machine, far over the 100 ms budget for Enter -> answer. Our answers are
Markdown from our own templates with a small known shape, so this view converts that shape into a
`Text` (no markup parsing, so nothing in it can be taken as a markup tag or action) and wraps it
for the current width. The full Markdown still goes to exports unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from assistant.tui.safe_text import clean_block

_INLINE = re.compile(
    r"(?P<esc>\\[\\`*_{}\[\]()#+\-.!|<>~&])"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w*])\*(?P<ital>[^*\s][^*]*?)\*(?![\w*])"
    r"|(?<!\\)\[(?P<cite>\d{1,3}(?:,\s*\d{1,3})*)\](?!\()"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,3})\.\s+(.*)$")


@dataclass
class Block:
    first: str  # prefix of the first line ("• ", "12. ", "")
    rest: str  # prefix of the wrapped lines (spaces of the same width)
    body: Text
    gap_before: bool = False


def inline(text: str, base: Style | str = "") -> Text:
    """**bold**, *italic*, backslash escapes and clickable citation marks; everything else literal."""
    out = Text(style=base)
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(text[pos : m.start()])
        if m.group("esc"):
            out.append(m.group("esc")[1])
        elif m.group("bold") is not None:
            out.append_text(inline(m.group("bold"), "bold"))
        elif m.group("ital") is not None:
            out.append_text(inline(m.group("ital"), "italic"))
        else:
            numbers = [n.strip() for n in m.group("cite").split(",")]
            out.append("[", "dim")
            for i, n in enumerate(numbers):
                if i:
                    out.append(", ", "dim")
                out.append(n, Style(bold=True, underline=True, meta={"@click": f"open_cite({int(n)})"}))
            out.append("]", "dim")
        pos = m.end()
    out.append(text[pos:])
    return out


_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_RULE_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    parts = [c.strip() for c in _CELL_SPLIT.split(line.strip())]
    if parts and not parts[0]:
        parts = parts[1:]
    if parts and not parts[-1]:
        parts = parts[:-1]
    return parts


def _table(rows: list[str], gap: bool) -> list[Block]:
    """A Markdown table drawn for a narrow terminal: each row under its own label, one line per column
    ("US (BHOF 2022): ..."), so that four guideline columns stay readable at 80 columns."""
    header = _cells(rows[0])
    out: list[Block] = []
    for line in rows[1:]:
        if _RULE_ROW.match(line):
            continue
        cells = _cells(line)
        if not cells:
            continue
        out.append(Block("", "", inline(cells[0], "bold"), gap_before=gap or bool(out)))
        for name, cell in zip(header[1:], cells[1:], strict=False):
            body = inline(name, "italic")
            body.append(": ")
            body.append_text(inline(cell))
            out.append(Block("  ", "    ", body))
    return out


def blocks(markdown: str) -> list[Block]:
    out: list[Block] = []
    gap = False
    table: list[str] = []
    for raw in [*clean_block(markdown).split("\n"), ""]:
        line = raw.rstrip()
        if line.lstrip().startswith("|"):
            table.append(line)
            continue
        if table:
            out.extend(_table(table, gap or bool(out)))
            table = []
            gap = False
        if not line.strip():
            gap = bool(out)
            continue
        if m := _HEADING.match(line):
            level = len(m.group(1))
            style = "bold underline" if level <= 2 else "bold"
            out.append(Block("", "", inline(m.group(2), style), gap_before=bool(out)))
        elif line.startswith(">"):
            body = inline(line.lstrip(">").strip(), "italic")
            out.append(Block("▎ ", "▎ ", body, gap_before=gap))
        elif m := _BULLET.match(line):
            indent = " " * len(m.group(1))
            out.append(Block(indent + "• ", indent + "  ", inline(m.group(2)), gap_before=gap))
        elif m := _NUMBERED.match(line):
            mark = f"{m.group(1)}{m.group(2)}. "
            out.append(Block(mark, " " * len(mark), inline(m.group(3)), gap_before=gap))
        else:
            out.append(Block("", "", inline(line.strip()), gap_before=gap))
        gap = False
    return out


class AnswerView(Widget):
    """One answer; wraps to the widget's width with hanging indents."""

    DEFAULT_CSS = "AnswerView { height: auto; }"

    class CitationClicked(Message):
        def __init__(self, view: AnswerView, number: int) -> None:
            super().__init__()
            self.view = view
            self.number = number

    def __init__(self, markdown: str, turn: int, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.source_markdown = markdown
        self.turn = turn
        self._blocks = blocks(markdown)
        self._cache: tuple[int, list[Text]] | None = None
        self._strip_cache: tuple[int, list[Strip]] | None = None

    def plain(self) -> str:
        return "\n".join(b.first + b.body.plain for b in self._blocks)

    def _lines(self, width: int) -> list[Text]:
        """The answer wrapped to `width`: one Text per screen line, hanging indents included."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        console = self.app.console
        out: list[Text] = []
        for b in self._blocks:
            if b.gap_before and out:
                out.append(Text(""))
            avail = max(8, width - len(b.first))
            wrapped = b.body.wrap(console, avail, overflow="fold") if b.body.plain else [Text("")]
            prefix_style = "dim" if b.first.startswith("▎") else ""
            for i, line in enumerate(wrapped):
                line.rstrip()
                row = Text(b.first if i == 0 else b.rest, style=prefix_style, end="")
                row.append_text(line)
                out.append(row)
        self._cache = (width, out)
        return out

    def _strips(self, width: int) -> list[Strip]:
        if self._strip_cache is not None and self._strip_cache[0] == width:
            return self._strip_cache[1]
        console = self.app.console
        strips = [Strip(list(line.render(console, end=""))) for line in self._lines(width)]
        self._strip_cache = (width, strips)
        return strips

    def render_line(self, y: int) -> Strip:
        """Line API: only the visible lines are drawn, each from the cached layout."""
        width = max(10, self.content_size.width or self.size.width or 80)
        strips = self._strips(width)
        strip = strips[y] if 0 <= y < len(strips) else Strip.blank(width)
        return strip.extend_cell_length(width).apply_style(self.rich_style)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self._lines(max(10, width)))

    def action_open_cite(self, number: int) -> None:
        self.post_message(self.CitationClicked(self, number))
