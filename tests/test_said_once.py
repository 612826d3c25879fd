"""Each thing said once at the top of an answer: the "Read as" line, the "Updated:" line and the direct
answer do not repeat one another (read as a clinician reads the merged answers)."""

from __future__ import annotations

from assistant.cli import main
from assistant.conversation import Conversation
from assistant.read_as import ReadAs, SetAside
from tests.answer_text import after_read_as
from tests.conftest import SEED_QUESTION


def top(text: str) -> str:
    """The lines before the first blank line: the "Read as" line and the direct answer."""
    return text.strip().split("\n\n")[0]


def test_new_facts_are_named_once_on_the_read_as_line() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    reply = conv.ask("she's 67, FRAX 11% / 1.4%")
    head = top(reply.text)
    assert head.startswith("Read as: woman, 67; FRAX major 11%, hip 1.4%.")
    assert head.count("11%") == 1 and "sex female" not in reply.text and "(new)" not in head
    assert "The treatment decision changed from conditional (depends on facts not yet given) to not indicated." in head
    # the bottom line says why, once
    assert "because of" not in reply.text
    assert "BOTTOM LINE: Drug treatment is not indicated on these facts: FRAX major 11% is below 20%" in reply.text
    assert reply.decision_change is not None and reply.decision_change[2]  # the cause is still in the data
    assert reply.answer is not None and any("FRAX" in c for c in reply.answer.as_dict()["changed"])


def test_a_new_lab_value_is_not_repeated_under_the_read_as_line() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    reply = conv.ask("she has an eGFR of 28")
    assert top(reply.text).count("eGFR 28") == 1
    assert after_read_as(reply.text).startswith(
        "The treatment decision stays the same: conditional (depends on facts not yet given). What changes is below;"
    )
    assert "BOTTOM LINE" not in reply.text  # the decision that stands is not restated
    assert reply.answer is not None
    data = reply.answer.as_dict()
    assert any("eGFR 28" in c for c in data["changed"]) and "eGFR 28" not in data["direct"]


def test_a_changed_sex_is_said_in_the_read_as_words() -> None:
    conv = Conversation(strict=True)
    conv.ask("67-year-old woman, femoral neck T-score -1.7, FRAX 11% / 1.4%")
    reply = conv.ask("sorry, he is a man")
    assert "Updated: man (was woman)." in reply.text
    assert "sex male" not in reply.text and "(was female)" not in reply.text


def test_a_correction_still_names_the_value_it_replaces() -> None:
    conv = Conversation(strict=True)
    conv.ask("67-year-old woman, femoral neck T-score -1.7, FRAX 11% / 1.4%")
    reply = conv.ask("sorry, she is 58")
    assert "Updated: age 58 (was 67)." in top(reply.text)


def test_a_withdrawal_is_said_once_on_the_read_as_line() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    conv.ask("she takes prednisone 7.5 mg daily")
    reply = conv.ask("scratch the steroids")
    first = reply.text.split("\n")[0]
    assert first == "Read as: taken back: glucocorticoids."
    assert "Removed: glucocorticoid use and" in reply.text and "glucocorticoid use: yes" not in reply.text


def test_what_a_short_follow_up_leaves_out_is_said_with_the_full_plan_line() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    conv.ask("she's 67, FRAX 11% / 1.4%")
    reply = conv.ask("she takes prednisone 7.5 mg daily")
    assert "Not shown, to keep this short" not in reply.text
    more = [line for line in reply.text.split("\n") if "more points in the full plan" in line]
    assert len(more) == 1 and ", among them drug treatment" in more[0]


def test_the_direct_answer_is_not_repeated_as_a_bullet() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    conv.ask("she's 67, FRAX 11% / 1.4%")
    reply = conv.ask("what if her eGFR were 30?")
    assert reply.text.lower().count("do not start alendronate or zoledronic acid") == 1


def test_markdown_read_as_escapes_only_what_would_format(capsys) -> None:
    assert main(["ask", "--format", "markdown", SEED_QUESTION]) == 0
    line = capsys.readouterr().out.split("\n")[0]
    assert line.endswith("osteopenia (stated).") and "\\(" not in line


def test_markdown_read_as_still_escapes_the_users_formatting() -> None:
    read = ReadAs(used=["woman"], set_aside=[SetAside("*her* [mother](x) had `it`", "a relative's, not the patient's")])
    line = read.markdown_line()
    assert "\\*her\\* \\[mother\\](x) had \\`it\\`" in line
    assert "(a relative's, not the patient's)" in line


def test_why_states_the_decision_once_and_in_words() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    conv.ask("she's 67, FRAX 11% / 1.4%")
    conv.ask("what if her eGFR were 30?")
    text = conv.ask("why?").text
    assert "Decision: Drug treatment is not indicated on these facts: FRAX major 11%" in text
    assert "pharmacologic treatment not indicated on the facts given:" not in text
    assert "zoledronic acid" in text and "zoledronic_acid" not in text
