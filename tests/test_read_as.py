"""The "Read as" line (issue 15): every answer opens with what was read, set aside and not understood, in plain
English; the JSON has the same as keys; the app's facts panel shows the same line."""

from __future__ import annotations

import json
import re

import pytest

from assistant.conversation import Conversation
from assistant.parse import parse
from assistant.read_as import build_read_as

INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b")  # field names like t_score_unsited never reach the user


def test_the_issue_example() -> None:
    line = build_read_as(parse(
        "In an 84-year-old woman with dementia, osteopenia and high risk of falls and fractures, which oral "
        "bisphosphonate?")).line()
    assert line.startswith("Read as: woman, 84; osteopenia (stated); falls.")
    assert "Not counted: 'fractures' (a risk, not a fracture)" in line
    assert "Not used: 'dementia'" in line


@pytest.mark.parametrize("text, used, aside", [
    ("67F, FN T -1.7, FRAX 11/1.4", ["woman, 67", "T-score -1.7 at the femoral neck", "FRAX major 11%, hip 1.4%"],
     []),
    ("T-score of -2.6, hip fracture after a car crash", ["T-score -2.6 (site not given)"],
     [("fracture", "traumatic, so not counted as a fragility fracture")]),
    ("spine T-score -2.2, down from -2.6 two years ago", ["T-score -2.2 at the lumbar spine"],
     [("T-score -2.6", "an earlier value, kept as history")]),
    ("does she have osteoporosis?", ["woman"], [("osteoporosis", "asked about, not stated")]),
    ("what if her eGFR were 30?", [], [("eGFR 30", "a what-if, not the patient's")]),
    ("T-score -15 at the hip", [], [("-15", "a T-score should be -7 to 5")]),
    ("on Prolia, last dose 9 months ago, CKD stage 4",
     ["CKD stage 4", "denosumab (taking, last dose 9 months ago)"], []),
    ("sister had a wrist fracture", [], [("wrist fracture", "a relative's, not the patient's")]),
])
def test_used_and_set_aside_in_plain_words(text: str, used: list[str], aside: list[tuple[str, str]]) -> None:
    r = build_read_as(parse(text))
    assert r.used == used
    assert [(s.words, s.why) for s in r.set_aside] == aside
    assert not INTERNAL.search(r.line()), r.line()


def test_clinical_words_not_understood_are_listed() -> None:
    r = build_read_as(parse("67F, FN -2.6, MGUS and sarcoidosis, on PPI"))
    assert r.not_understood == ["MGUS", "PPI", "sarcoidosis"]
    assert "Not understood: 'MGUS', 'PPI', 'sarcoidosis'." in r.line()


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_every_answer_opens_with_the_line(fmt: str) -> None:
    conv = Conversation()
    first = conv.ask("72-year-old woman, FN T-score -2.6, worried about her fracture risk").format(fmt)
    assert first.startswith("Read as: woman, 72; T-score -2.6 at the femoral neck.")
    second = conv.ask("she also has T2DM").format(fmt)
    assert second.startswith("Read as: woman; type 2 diabetes.")


def test_the_json_answer_has_structured_keys() -> None:
    data = json.loads(Conversation().ask("80M, TH -2.8, no prior fracture, hx of gout?").format("json"))
    read = data["read_as"]
    assert read["used"] == ["man, 80", "T-score -2.8 at the total hip", "no prior fracture"]
    assert read["not_used"] == ["gout"]
    assert read["line"] == data["text"].splitlines()[0]
    assert {"used", "set_aside", "not_understood"} <= set(read)


def test_a_plain_reply_that_read_nothing_has_no_line_but_its_json_has_the_keys() -> None:
    conv = Conversation()
    conv.ask("67F FN -2.6")
    reply = conv.ask("why?")
    assert not reply.text.startswith("Read as")
    assert json.loads(reply.format("json"))["read_as"]["used"] == []


def test_the_facts_panel_shows_the_same_line() -> None:
    from assistant.tui.facts_panel import facts_text

    conv = Conversation()
    reply = conv.ask("84F with dementia, osteopenia, high risk of fractures")
    panel = facts_text(conv.facts, [reply.user], None, reply.changes, reply.read_as).plain
    assert reply.read_as is not None
    assert panel.startswith("Last message\n" + reply.read_as.line())
    assert reply.text.startswith(reply.read_as.line())


@pytest.mark.parametrize("text, start", [
    ("sorry, that was the lumbar spine", "Read as: correction: the last score is at the lumbar spine."),
    ("scratch the FRAX", "Read as: taken back: FRAX."),
    ("scratch the steroids", "Read as: taken back: glucocorticoids."),
    ("forget the Fosamax", "Read as: taken back: alendronate."),
    ("no prior fracture; hip fracture last year", "Read as: recent fracture. Not counted: 'prior fracture' "
                                                  "(said both yes and no)."),
])
def test_corrections_and_conflicts_are_said_in_the_line(text: str, start: str) -> None:
    assert build_read_as(parse(text)).line().startswith(start)


def test_the_facts_panel_gives_the_same_reasons_as_the_line() -> None:
    from assistant.tui.facts_panel import facts_text

    conv = Conversation()
    reply = conv.ask("67F FN -2.6, worried about hip fracture, does she have osteoporosis?")
    panel = facts_text(conv.facts, [reply.user], None, reply.changes, reply.read_as).plain
    assert reply.read_as is not None
    for item in reply.read_as.set_aside:
        assert f": {item.why}" in panel, (item, panel)
    assert "NOT COUNTED: osteoporosis: asked about, not stated" in panel


def test_a_parents_hip_fracture_is_used_and_a_siblings_fracture_set_aside() -> None:
    line = build_read_as(parse("mother had a hip fracture, and her sister broke her wrist last year")).line()
    assert line == ("Read as: woman; parent's hip fracture. Not counted: 'broke her wrist' "
                    "(a relative's, not the patient's).")


def test_a_steroid_inhaler_is_set_aside_as_not_oral() -> None:
    line = build_read_as(parse("70F on a steroid inhaler for asthma, FN -2.0")).line()
    assert "'steroid inhaler' (not oral" in line, line
