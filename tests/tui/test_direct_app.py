"""Pilot tests of issue 19's app details at 80x24: the last answer's bottom line visible without
scrolling after 12 turns, "compare guidelines" drawn as a table, the chat scrolled from the question
box, F10 for the full plan, Ctrl+N then Ctrl+S, a config problem shown as a notice."""

from __future__ import annotations

from assistant.tui.app import AssistantApp
from assistant.tui.chat import AnswerMessage, ChatLog
from assistant.tui.dialogs import PathScreen, help_text
from assistant.tui.prompt_input import PromptInput
from tests.answer_text import after_read_as
from tests.tui.helpers import SEED_QUESTION, screen_text, type_question

SMALL = (80, 24)
TWELVE_TURNS = (
    SEED_QUESTION,
    "She is 67; FRAX 11% major, 1.4% hip.",
    "what if her eGFR were 30?",
    "why?",
    "when to repeat DXA?",
    "what labs?",
    "which drug?",
    "she has an eGFR of 28",
    "ok thanks",
    "can it wait 5 years?",
    "what comes after denosumab?",
    "Can she stop Prolia?",
)


def new_app(**kwargs: object) -> AssistantApp:
    return AssistantApp(offer_resume=False, **kwargs)  # type: ignore[arg-type]


def one_line(text: str) -> str:
    return " ".join(text.split())


async def test_last_answer_of_twelve_turns_starts_on_screen_at_80x24() -> None:
    app = new_app()
    async with app.run_test(size=SMALL) as pilot:
        for turn in TWELVE_TURNS:
            await type_question(pilot, turn)
        await pilot.pause()
        reply = app.chat.conv.replies[-1]
        assert reply.answer is not None and reply.answer.direct is not None
        assert after_read_as(reply.text).startswith("Stop denosumab? Not without a follow-on.")
        shown = one_line(screen_text(app))
        assert "You (turn 12)" in shown
        assert "Stop denosumab? Not without a follow-on." in shown  # the bottom line, without scrolling
        assert isinstance(app.focused, PromptInput)


async def test_compare_guidelines_is_a_table_not_markdown_at_80x24() -> None:
    app = new_app()
    async with app.run_test(size=SMALL) as pilot:
        await type_question(pilot, "67-year-old woman, femoral neck T-score -1.7, FRAX 11% major and 1.4% hip")
        await type_question(pilot, "compare guidelines")
        view = list(app.chat.query(AnswerMessage))[-1]
        plain = view.plain()
        assert "|---" not in plain and "| **" not in plain
        assert "US (BHOF 2022): " in plain and "ACP 2023: " in plain
        # Scrolled from the question box (which keeps the focus), the rows come into view.
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.pause()
        assert isinstance(app.focused, PromptInput)
        assert "2020: " in screen_text(app) or "2023: " in screen_text(app)


async def test_page_keys_and_home_end_scroll_the_chat_from_the_question_box() -> None:
    app = new_app()
    async with app.run_test(size=SMALL) as pilot:
        await type_question(pilot, SEED_QUESTION)
        chat = app.chat.query_one(ChatLog)
        box = app.chat.query_one(PromptInput)
        assert app.focused is box and box.value == ""
        start = chat.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert chat.scroll_y > start and app.focused is box
        await pilot.press("home")
        await pilot.pause()
        assert chat.scroll_y == 0 and app.focused is box
        await pilot.press("end")
        await pilot.pause()
        assert chat.scroll_y == chat.max_scroll_y and app.focused is box
        await pilot.press("pageup")
        await pilot.pause()
        assert chat.scroll_y < chat.max_scroll_y
        # With text in the box, Home/End move the cursor as usual.
        box.value = "abc"
        box.cursor_position = 3
        await pilot.press("home")
        assert box.cursor_position == 0
    help_plain = help_text().plain
    assert "PgUp / PgDn" in help_plain and "Home / End" in help_plain and "F10" in help_plain


async def test_f10_shows_the_full_plan() -> None:
    app = new_app()
    async with app.run_test(size=SMALL) as pilot:
        await type_question(pilot, SEED_QUESTION)
        short = app.chat.conv.replies[-1]
        await pilot.press("f10")
        await pilot.pause()
        full = app.chat.conv.replies[-1]
        assert full.user == "full plan" and full.answer is not None and full.answer.full
        assert len(full.text.split()) > len(short.text.split())


async def test_new_patient_then_save_says_there_is_nothing_to_save() -> None:
    app = new_app()
    async with app.run_test(size=SMALL) as pilot:
        await type_question(pilot, SEED_QUESTION)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PathScreen)
        assert app.chat.errors == []
        assert any("Nothing to save" in str(n.message) for n in app._notifications)  # noqa: SLF001


async def test_a_config_problem_is_shown_as_a_notice() -> None:
    app = new_app(notice="config file x.toml names an unknown profile 'nogg'; using the us profile")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert any("unknown profile" in str(n.message) for n in app._notifications)  # noqa: SLF001


async def test_a_config_notice_with_markup_in_it_is_shown_as_written() -> None:
    hostile = "config file [x].toml names an unknown profile '[@click=app.quit]q[/]'; using the us profile"
    app = new_app(notice=hostile)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.is_running  # "[/]" through markup would raise, "[@click=...]" would become an action
        assert [n.markup for n in app._notifications if "unknown profile" in str(n.message)] == [False]  # noqa: SLF001


def test_facts_panel_shows_units() -> None:
    from assistant.facts import Facts
    from assistant.tui.facts_panel import fact_rows

    shown = [r.shown for r in fact_rows(Facts(egfr=28, vitamin_d=18))]
    assert "Kidney function (eGFR or creatinine clearance): 28 mL/min/1.73 m2" in shown
    assert "25-OH vitamin D level: 18 ng/mL" in shown
