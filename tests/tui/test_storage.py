"""Files the app writes (atomic saves, the journal) and the text cleaning used before showing user text."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from assistant.tui.answer_view import blocks
from assistant.tui.safe_text import clean_input, escape_markdown
from assistant.tui.storage import Journal, atomic_write, journal_dir, last_resumable, read_journal


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.md"
    atomic_write(target, "first\n")
    atomic_write(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.md"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    atomic_write(target, "old\n")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(target, "bad \ud800\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_journal_keeps_turns_through_a_torn_last_line_and_honours_declines() -> None:
    j = Journal("aace")
    j.record_turn(1, "first [bold]")
    j.record_turn(2, "second")
    assert j.path is not None
    with open(j.path, "a", encoding="utf-8") as fh:
        fh.write('{"turn": 3, "user": "half a li')  # a crash in the middle of a write
    entry = read_journal(j.path)
    assert entry is not None and entry.turns == ["first [bold]", "second"] and entry.profile == "aace"
    assert last_resumable() is not None
    Journal("aace", j.path).close("declined")
    assert last_resumable() is None
    assert len(list(journal_dir().glob("*.jsonl"))) == 1
    header = json.loads(j.path.read_text(encoding="utf-8").splitlines()[0])
    assert header["schema"] == "assistant.journal/1"


@pytest.mark.parametrize(
    "text",
    ["[bold]x[/]", "*a* _b_ `c` # d", "<script>x</script>", "1. not a list", "- not a bullet", "a\\b [1](cite:1)"],
)
def test_escaped_user_text_renders_literally_in_markdown(text: str) -> None:
    rendered = MarkdownIt().render(escape_markdown(text))
    assert rendered.strip() == f"<p>{html.escape(text, quote=False)}</p>"


def test_control_characters_become_visible_symbols() -> None:
    assert clean_input("a\x1b[31mb\x07\r\nc\td") == "a␛[31mb␇ c d"


def test_answer_view_reads_our_markdown_shape() -> None:
    md = "> Updated: age 67.\n\n## Title\n\n**Bottom line:** treat [1, 2]\n\n### Section\n\n- item one [3]\n1. ref\n"
    parsed = blocks(md)
    assert [b.first for b in parsed] == ["▎ ", "", "", "", "• ", "1. "]
    assert parsed[2].body.plain == "Bottom line: treat [1, 2]"
    clickable = [s for s in parsed[2].body.spans if getattr(s.style, "meta", None)]
    assert [s.style.meta["@click"] for s in clickable] == ["open_cite(1)", "open_cite(2)"]
