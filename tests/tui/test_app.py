"""Pilot tests of the terminal app: the seed question and follow-ups typed in, what every panel shows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from assistant.corpus import default_corpus
from assistant.tui.app import AssistantApp
from assistant.tui.chat import AnswerMessage, ChatLog, UserMessage
from assistant.tui.chat_screen import ChatScreen
from assistant.tui.dialogs import HelpScreen, PathScreen
from assistant.tui.prompt_input import PromptInput
from assistant.tui.sources_screen import PassageScreen, SourcesScreen
from tests.tui.helpers import (
    SEED_QUESTION,
    chat_texts,
    facts_text,
    picture_text,
    reasoning_text,
    screen_text,
    type_question,
)

SIZE = (120, 40)
FOLLOW_UP = "She is 67; FRAX 11% major, 1.4% hip."


def new_app() -> AssistantApp:
    return AssistantApp(offer_resume=False)


async def test_seed_question_answers_in_the_chat_with_facts_trace_and_hint() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, SEED_QUESTION)
        texts = chat_texts(app)
        assert texts[-2] == "USER: " + SEED_QUESTION
        answer = texts[-1]
        assert answer.startswith("ANSWER: ")
        for needle in ("FRAX", "20%", "3%", "Disclaimer"):
            assert needle in answer
        reply = app.chat.conv.replies[-1]
        assert reply.answer is not None and reply.answer.citations
        # Facts panel: both T-scores, each with the words they came from.
        facts = facts_text(app)
        assert "Femoral neck T-score -1.7" in facts
        assert "Total hip T-score -1.1" in facts
        assert "femoral neck" in facts.split("Femoral neck T-score -1.7", 1)[1].split("\n")[1]
        assert "[new]" in facts
        # Reasoning panel: the trace of this answer, rules in order.
        trace = reply.answer.assessment.trace
        assert trace
        reasoning = reasoning_text(app)
        positions = [reasoning.index(step.rule) for step in trace]
        assert positions == sorted(positions)
        assert "osteopenia" in reasoning.lower()
        # Picture: both sites against the WHO bands.
        picture = picture_text(app)
        assert "femoral neck" in picture and "total hip" in picture
        assert "-2.5" in picture and "-1.0" in picture
        # Hint of what to ask next.
        hint = str(app.chat.query_one("#hint").render())
        assert "Next:" in hint and "FRAX" in hint
        # Drawn on screen, no internal error.
        assert "You (turn 1)" in screen_text(app)
        assert app.chat.errors == []


async def test_follow_ups_update_facts_decision_and_what_if_leaves_facts_alone() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, SEED_QUESTION)
        await type_question(pilot, FOLLOW_UP)
        conv = app.chat.conv
        assert conv.last_assessment is not None
        assert conv.last_assessment.decision.value == "no"
        facts = facts_text(app)
        assert "Age 67" in facts
        assert "FRAX major 11%" in facts and "FRAX hip 1.4%" in facts
        age_line = next(line for line in facts.splitlines() if "Age 67" in line)
        assert "[new]" in age_line
        t_line = next(line for line in facts.splitlines() if "Femoral neck T-score" in line)
        assert "[new]" not in t_line  # unchanged since the previous turn
        picture = picture_text(app)
        assert "under the 20% threshold" in picture and "under the 3% threshold" in picture

        await type_question(pilot, "what if her eGFR were 30?")
        reply = conv.replies[-1]
        assert reply.hypothetical
        assert "denosumab" in chat_texts(app)[-1].lower()
        last, _, recorded = facts_text(app).partition("\n\n")
        assert "'eGFR 30' (a what-if, not the patient's)" in last  # the panel says how the message was read
        assert "eGFR" not in recorded and "Kidney" not in recorded  # the patient is unchanged
        assert "What-if" in picture_text(app)

        await type_question(pilot, "why?")
        why = chat_texts(app)[-1]
        assert why.startswith("PLAIN: ")
        # Plain clinical reasoning in the chat: the first step's finding, not its rule id (that is in F4).
        assert conv.last_assessment.trace[0].result in why
        assert conv.last_assessment.trace[0].rule not in why
        assert app.chat.errors == []


async def test_sources_open_by_key_by_typed_command_and_by_clicking_a_citation() -> None:
    app = new_app()
    corpus = default_corpus()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, SEED_QUESTION)
        answer = app.chat.conv.replies[-1].answer
        assert answer is not None and len(answer.citations) >= 2
        # F5 lists the citations; a digit opens one.
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        first = corpus.passages[answer.passages[answer.citations[0]][0]]
        body = str(app.screen.query_one("#passage-body").render())
        assert first.where in body
        assert " ".join(first.text.split())[:60] in " ".join(body.split())
        assert corpus.references[first.ref].title in body
        assert first.where[:20] in screen_text(app)  # drawn, not only held
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.number == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        # "show 2" typed in the chat opens citation 2 too.
        await type_question(pilot, "show 2")
        assert isinstance(app.screen, PassageScreen) and app.screen.number == 2
        await pilot.press("escape")
        await pilot.pause()
        # Clicking a citation number in the answer opens it.
        widget = app.chat.query(AnswerMessage).first()
        app.chat.query_one(ChatLog).scroll_to_widget(widget, top=True, animate=False)
        await pilot.pause()
        lines = [line.plain for line in widget._lines(widget.content_size.width)]
        y = next(i for i, line in enumerate(lines) if "[1" in line)
        x = lines[y].index("[1") + 1
        await pilot.click(widget, offset=(x, y))
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen) and app.screen.number == 1


HOSTILE = [
    "[bold]x[/]",
    "[/]",
    "[link=http://example.com]a[/link]",
    "[@click=app.quit]press[/]",
    "list[int] and [x] [$accent]v [B]up[/B] \\[",
    "\x1b[31mred\x1b[0m and \x07 bell \x00 nul \x9b csi",
    "*not bold* `code` # heading <b>html</b> [1](cite:1)",
    "lone surrogate \ud800 and emoji 🦴 and RTL \u202e",
]


async def test_markup_ansi_and_control_characters_show_literally_and_never_crash() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        for text in HOSTILE:
            await type_question(pilot, text)
        users = [w for w in app.chat.query(UserMessage)]
        assert len(users) == len(HOSTILE)
        shown = screen_text(app)
        for literal in ("[@click=app.quit]press[/]", "[link=http://example.com]a[/link]"):
            assert literal in "".join(w.user_text for w in users)
        assert "␛[31mred␛[0m" in users[5].user_text  # escape characters made visible, not executed
        assert "\x1b" not in shown and "\x07" not in shown
        # Clicking the would-be action does nothing: the app is still running.
        target = users[3]
        app.chat.query_one(ChatLog).scroll_to_widget(target, top=True, animate=False)
        await pilot.pause()
        await pilot.click(target, offset=(5, 1))
        await pilot.pause()
        assert app.is_running
        assert app.chat.errors == []
        # The chat view shows the markup text itself.
        app.chat.query_one("#chat").scroll_end(animate=False)
        await pilot.pause()
        assert "[B]up[/B]" in screen_text(app) or "*not bold*" in screen_text(app)


async def test_history_recalls_previous_questions_and_paste_keeps_every_line() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, "first question about FRAX")
        await type_question(pilot, "second question about DXA")
        box = app.chat.query_one(PromptInput)
        await pilot.press("up")
        assert box.value == "second question about DXA"
        await pilot.press("up")
        assert box.value == "first question about FRAX"
        await pilot.press("down")
        assert box.value == "second question about DXA"
        await pilot.press("down")
        assert box.value == ""
        box.post_message(events.Paste("67 year old woman\nFN T-score -1.7\r\nFRAX 11% / 1.4%"))
        await pilot.pause()
        assert box.value == "67 year old woman FN T-score -1.7 FRAX 11% / 1.4%"


async def test_exports_markdown_and_json_atomically(tmp_path: Path) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, SEED_QUESTION)
        await type_question(pilot, "[bold]odd[/] *text*")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        app.screen.query_one(Input).value = str(tmp_path / "conv")
        await pilot.press("enter")
        await pilot.pause()
    md = (tmp_path / "conv.md").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "conv.json").read_text(encoding="utf-8"))
    assert "## Turn 1" in md and "FRAX" in md
    assert "\\[bold\\]odd\\[/\\] \\*text\\*" in md  # user text escaped for Markdown
    assert data["schema"] == "assistant.conversation/1"
    assert [t["user"] for t in data["turns"]] == [SEED_QUESTION, "[bold]odd[/] *text*"]
    assert data["turns"][0]["answer"]["schema"] == "assistant.answer/1"
    page = (tmp_path / "conv.html").read_text(encoding="utf-8")  # the one-patient handout
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and 'id="sources"' in page
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


async def test_saved_transcript_replays_green(tmp_path: Path) -> None:
    pytest.importorskip("assistant.replay")
    path = tmp_path / "saved.yaml"
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, SEED_QUESTION)
        await type_question(pilot, FOLLOW_UP)
        await type_question(pilot, "[/] \x1b[1m odd input")
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat.last_saved == [path.resolve()]
    assert path.exists()
    exe = Path(sys.executable).parent / "assistant"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]
    done = subprocess.run([*cmd, "replay", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


async def test_every_turn_is_journaled_and_the_next_start_offers_to_resume() -> None:
    from assistant.tui.storage import journal_dir, last_resumable

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, SEED_QUESTION)
        await type_question(pilot, FOLLOW_UP)
        # Journaled as it happened, before the app closes.
        entry = last_resumable()
        assert entry is not None and entry.turns == [SEED_QUESTION, FOLLOW_UP]
    assert len(list(journal_dir().glob("*.jsonl"))) == 1

    resumed = AssistantApp()
    async with resumed.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(resumed.screen).__name__ == "ResumeScreen"
        await pilot.press("y")
        await pilot.pause()
        conv = resumed.chat.conv
        assert [r.user for r in conv.replies] == [SEED_QUESTION, FOLLOW_UP]
        assert "Age 67" in facts_text(resumed)
        await type_question(pilot, "why?")
    assert last_resumable().turns[-1] == "why?"  # type: ignore[union-attr]

    declined = AssistantApp()
    async with declined.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert declined.chat.conv.replies == []
    assert last_resumable() is None  # declined: not offered again


async def test_new_patient_copy_theme_help_and_panels() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, SEED_QUESTION)
        await pilot.press("ctrl+y")
        assert app.chat.last_copied == app.chat.conv.replies[-1].text
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_body = app.screen.query_one("#help-body").render()
        assert "Disclaimer" in str(help_body) and "decision support" in str(help_body)
        await pilot.press("escape")
        await pilot.press("f4")
        await pilot.pause()
        assert "Reasoning" in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.chat.conv.replies == []
        assert "No patient facts yet" in facts_text(app)
        assert not app.chat.query(AnswerMessage)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for wanted in ("New patient", "Save transcript", "Export conversation", "Copy last answer",
                       "Toggle side panel", "Help and disclaimer", "Quit"):
            assert wanted in titles


async def test_usable_at_80_by_24() -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_question(pilot, SEED_QUESTION)
        text = screen_text(app)
        assert "You (turn 1)" in text or "Bottom line" in text
        assert "f1 Help" in text  # the footer is drawn
        await pilot.press("f3")
        await pilot.pause()
        text = screen_text(app)
        assert "Femoral neck T-score -1.7" in text  # the panel takes the row at this width
        await pilot.press("f3")
        await pilot.pause()
        assert "Femoral neck T-score -1.7" not in screen_text(app)


def test_run_app_returns_the_exit_status_and_non_zero_on_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.tui import app as app_module

    original = AssistantApp.run

    def quits(self: AssistantApp, **kwargs: object):  # type: ignore[no-untyped-def]
        async def pilot(p):  # type: ignore[no-untyped-def]
            await p.pause()
            await p.press("ctrl+q")

        return original(self, headless=True, auto_pilot=pilot, size=(100, 30))

    monkeypatch.setattr(AssistantApp, "run", quits)
    assert app_module.run_app() == 0

    def crashes(self: AssistantApp, **kwargs: object):  # type: ignore[no-untyped-def]
        async def pilot(p):  # type: ignore[no-untyped-def]
            p.app.call_later(lambda: 1 / 0)
            await p.pause()

        return original(self, headless=True, auto_pilot=pilot, size=(100, 30))

    monkeypatch.setattr(AssistantApp, "run", crashes)
    assert app_module.run_app() != 0


async def test_facts_panel_highlights_source_words_family_mentions_and_set_aside_values() -> None:
    from assistant.tui.facts_panel import FactsPanel

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, "68 year old woman, her mother broke her hip, femoral neck T-score -15")
        panel = app.chat.query_one(FactsPanel)
        text = panel.text
        # Every highlighted stretch is exactly the words a fact came from.
        highlighted = [text.plain[s.start : s.end] for s in text.spans if str(s.style) == "bold reverse"]
        facts = app.chat.conv.facts
        sources = {span.text.casefold() for span in facts.sources.values()}
        sources |= {m.span.text.casefold() for m in facts.mentions}
        assert highlighted and all(h.casefold() in sources for h in highlighted)
        assert any("68" in h for h in highlighted)
        plain = text.plain
        assert "Age 68" in plain
        assert "FAMILY MEMBER" in plain  # the mother's fracture is not the patient's
        assert "Set aside (please check)" in plain and "-15" in plain
        assert "Femoral neck T-score -15" not in plain  # an implausible value is asked about, never used


def test_run_app_saves_the_transcript_on_exit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("assistant.replay")
    from assistant.tui import app as app_module

    original = AssistantApp.run

    def session(self: AssistantApp, **kwargs: object):  # type: ignore[no-untyped-def]
        async def pilot(p):  # type: ignore[no-untyped-def]
            await p.pause()
            await type_question(p, SEED_QUESTION)
            await p.press("ctrl+q")

        return original(self, headless=True, auto_pilot=pilot, size=(100, 30))

    monkeypatch.setattr(AssistantApp, "run", session)
    path = tmp_path / "on-exit.yaml"
    assert app_module.run_app(transcript=str(path)) == 0
    text = path.read_text(encoding="utf-8")
    assert "femoral neck" in text and "turns:" in text


def test_reasoning_trace_arriving_while_hidden_shows_when_the_panel_opens() -> None:
    import asyncio as _asyncio

    from textual.widgets import Input as _Input

    from assistant.tui.app import AssistantApp as _App
    from assistant.tui.screen_text import screen_text as _screen_text

    async def scenario() -> None:
        app = _App(offer_resume=False)
        async with app.run_test(size=(100, 34)) as pilot:
            await _asyncio.get_running_loop().run_in_executor(None, app.chat._ready.wait)
            box = app.chat.query_one("#prompt", _Input)
            box.value = "67F, FN T -1.7, FRAX 11% / 1.4%"
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("f4")
            await pilot.pause()
            text = _screen_text(app)
            assert "No answer yet" not in text
            assert "decision-no-treat-frax-below-threshold" in text or "FRAX" in text

    _asyncio.run(scenario())
