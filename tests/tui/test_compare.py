"""Pilot tests: switching the guideline profile from the app (F8, palette) and the comparison view (F7)."""

from __future__ import annotations

from assistant.tui.app import AssistantApp
from assistant.tui.compare_screen import CompareScreen
from tests.tui.helpers import chat_texts, screen_text, type_question

SIZE = (160, 50)
Q = "67-year-old woman, femoral neck T-score -1.7, FRAX 11% major and 1.4% hip"


async def test_f8_cycles_the_profile_and_the_answer_says_so() -> None:
    app = AssistantApp(offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, Q)
        assert app.chat.conv.profile == "us"
        await pilot.press("f8")
        await pilot.pause()
        assert app.chat.conv.profile == "aace"
        assert app.chat.sub_title == "profile aace"
        texts = chat_texts(app)
        assert texts[-2] == "USER: use the AACE profile"
        assert "Guideline profile changed from US default (BHOF 2022) to AACE/ACE 2020" in texts[-1]
        app.chat.action_use_profile("acp")
        await pilot.pause()
        assert app.chat.conv.profile == "acp"
        assert app.chat.conv.replies[-1].answer.assessment.decision.value == "conditional"


async def test_f7_opens_the_comparison_table_with_literal_text() -> None:
    app = AssistantApp(offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_question(pilot, Q + " [bold]not markup[/]")
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        shown = screen_text(app)
        for needle in ("Guidelines side by side", "Treatment", "differs", "ACP 2023 ", "Endocrine 2019/2020",
                       "Not defined by this guideline", "Depends: individualised"):
            assert needle in shown, needle
        assert chat_texts(app)[-2] == "USER: compare guidelines"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_palette_lists_the_profile_and_compare_commands() -> None:
    app = AssistantApp(offer_resume=False)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Compare guidelines" in titles
        assert "Profile: ACP 2023" in titles and "Profile: Endocrine Society 2019/2020" in titles
