"""The one-patient HTML handout, read as a user would: what was read with its words, the answer with
citations that resolve, what-ifs marked and kept out of the facts, user text never markup, no outside
assets, a date that is given (never the clock's when a date is passed)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from assistant.conversation import Conversation
from assistant.handout import render_handout, today
from assistant.picture_data import frax_rows, t_score_rows
from assistant.render import prompts
from tests.conftest import ROOT, SEED_QUESTION

TWELVE = ROOT / "docs" / "examples" / "twelve-turns.txt"


def _conv(*turns: str) -> Conversation:
    conv = Conversation()
    for t in turns:
        conv.ask(t)
    return conv


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}"')
    return page[start : page.index("</section>", start)]


def test_user_text_is_text_never_markup() -> None:
    nasty = '67F, FN T -1.7 <script>alert(1)</script> <img src=x onerror="alert(2)"> & {{ 7*7 }}'
    page = render_handout(_conv(nasty), date="2026-12-05")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page
    assert "{{ 7*7 }}" in page  # not evaluated as a template either


def test_one_question_page_has_facts_with_words_answer_picture_sources() -> None:
    page = render_handout(_conv("67F, FN T -1.7, total hip -1.1, FRAX 11% / 1.4%"), date="2026-12-05")
    read = _section(page, "read")
    assert "femoral neck T-score -1.7" in read and "“FN T -1.7”" in read
    assert "FRAX major osteoporotic fracture 11%" in read
    answer = _section(page, "answer")
    assert "Drug treatment is not indicated" in answer
    picture = _section(page, "picture")
    assert picture.count('class="mark"') == 2 and "under the 20% threshold" in picture
    # Every citation mark points at a listed source, and every listed source is cited.
    cited = set(re.findall(r'href="#src-(\d+)"', page))
    listed = set(re.findall(r'id="src-(\d+)"', page))
    assert cited and cited == listed
    assert "US default (BHOF 2022)" in page and "Date: 2026-12-05" in page
    footer = page[page.index("<footer>") :]
    assert str(escape(prompts().disclaimer)) in footer


def test_page_is_self_contained() -> None:
    page = render_handout(_conv(SEED_QUESTION, "FRAX 11% / 1.4%"), date="2026-12-05")
    assert "<link" not in page and "<script" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r'\ssrc="', page)  # no image, frame or script loaded from anywhere
    assert "@media print" in page and "prefers-color-scheme: dark" in page and "@page" in page


def test_same_conversation_and_date_give_the_same_bytes() -> None:
    turns = ("67F, FN T -1.7, FRAX 11% / 1.4%", "what if her FRAX major were 25%?")
    assert render_handout(_conv(*turns), date="2026-01-02") == render_handout(_conv(*turns), date="2026-01-02")


def test_date_defaults_to_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert today() == "2026-01-01"
    assert "Date: 2026-01-01" in render_handout(_conv("67F, FN T -1.7"))


def test_twelve_turns_stay_readable_what_ifs_marked_final_facts_clear() -> None:
    turns = [t for t in TWELVE.read_text(encoding="utf-8").splitlines() if t.strip()]
    assert len(turns) == 12
    conv = _conv(*turns)
    page = render_handout(conv, date="2026-12-05")
    read = _section(page, "read")
    assert "age 72" in read and "age 67" not in read  # the correction wins
    assert "eGFR" not in read and "kidney" not in read  # a what-if never becomes a fact
    assert "FRAX major osteoporotic fracture 11%" in read and "25%" not in read
    what_ifs = _section(page, "what-ifs")
    asked = [r.user for r in conv.replies if r.hypothetical and r.kind == "answer"]
    assert len(asked) == 3 and what_ifs.count('class="whatif"') == 3
    for question in asked:
        assert question in what_ifs
    table = _section(page, "conversation")
    assert table.count("<tr") == 13 and table.count('class="what-if"') == 3
    assert "when to repeat DXA?" in _section(page, "question")  # the question the answer is for
    assert 'id="plan"' in page  # a focused last question: the whole plan on the final facts too


def test_picture_data_is_what_the_app_draws() -> None:
    from assistant.tui.picture import frax_picture, t_score_picture

    f = _conv("67F, FN T -1.7, lumbar spine -2.6, FRAX 21% / 1.4%").facts
    rows = t_score_rows(f)
    assert [(r.site, r.value, r.band) for r in rows] == [
        ("femoral neck", -1.7, "low"), ("lumbar spine", -2.6, "osteoporosis")]
    assert [(r.name, r.over) for r in frax_rows(f)] == [("major", True), ("hip", False)]
    app = t_score_picture(f, 80).plain + frax_picture(f, 80).plain
    page = render_handout(Conversation(), date="2026-12-05")  # no facts: no picture
    assert 'id="picture"' not in page
    for r in rows:
        assert r.site in app and f"{r.value:.1f}" in app


def test_cli_html_for_a_question_and_for_turns(assistant_cmd: list[str], tmp_path: Path) -> None:
    one = subprocess.run([*assistant_cmd, "ask", "--format", "html", "--date", "2026-03-04", "67F, FN T -1.7"],
                         capture_output=True, text=True, timeout=60)
    assert one.returncode == 0 and one.stdout.startswith("<!DOCTYPE html>") and "Date: 2026-03-04" in one.stdout
    turns = subprocess.run([*assistant_cmd, "ask", "--format", "html", "--turns", str(TWELVE)],
                           capture_output=True, text=True, timeout=60)
    assert turns.returncode == 0 and turns.stdout.count("<!DOCTYPE html>") == 1 and "12 turns" in turns.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--batch", "FILE"], "one page per patient"),
        (["--date", "5 Dec", "67F"], "YYYY-MM-DD"),
    ],
)
def test_cli_html_usage_errors(assistant_cmd: list[str], tmp_path: Path, args: list[str], words: str) -> None:
    batch = tmp_path / "q.txt"
    batch.write_text("67F, FN T -1.7\n", encoding="utf-8")
    args = [str(batch) if a == "FILE" else a for a in args]
    result = subprocess.run([*assistant_cmd, "ask", "--format", "html", *args], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


def test_web_binds_loopback_by_default() -> None:
    from assistant.cli import _build_parser
    from assistant.web import is_loopback, session_command

    args = _build_parser().parse_args(["web"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")
    assert "--session" in session_command("aace") and "aace" in session_command("aace")


def test_one_page_per_patient_after_new_patient() -> None:
    conv = _conv("67F, FN T -1.7, FRAX 11% / 1.4%", "what if her FRAX major were 25%?", "new patient",
                 "58 year old man, lumbar spine T -2.7")
    page = render_handout(conv, date="2026-12-05")
    assert "67F" not in page and "FRAX" not in _section(page, "read") and 'id="what-ifs"' not in page
    assert "lumbar spine T-score -2.7" in _section(page, "read")
    assert "osteoporosis" in _section(page, "answer").lower()


@pytest.mark.parametrize(
    "turns",
    [
        (),
        ("",),
        ("what is the capital of France?",),
        ("why?", "sources", "show 9"),
        ("\x00\x1b[31m<>&\"'", "what if"),
        ("T -9.9 FRAX 150% / 99%", "what if her T-score were +3?"),
    ],
)
def test_odd_conversations_still_give_a_page(turns: tuple[str, ...]) -> None:
    page = render_handout(_conv(*turns), date="2026-12-05")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", page)


def test_compare_guidelines_shows_the_profiles_side_by_side() -> None:
    page = render_handout(_conv("67F, FN T -1.7, FRAX 11% / 1.4%", "compare guidelines"), date="2026-12-05")
    table = _section(page, "comparison")
    for name in ("US (BHOF 2022)", "AACE/ACE 2020", "ACP 2023", "Endocrine 2019/2020"):
        assert name in table
    assert "differs" in table
    assert set(re.findall(r'href="#src-(\d+)"', page)) == set(re.findall(r'id="src-(\d+)"', page))


def test_element_ids_are_unique() -> None:
    turns = [t for t in TWELVE.read_text(encoding="utf-8").splitlines() if t.strip()]
    page = render_handout(_conv(*turns), date="2026-12-05")
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and len(ids) > 10
