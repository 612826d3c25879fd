"""The conversation layer: facts merged across turns, corrections, removals, what-ifs, meta questions.

The fold functions are tested on Facts directly; the Conversation tests go through the real parser
and engine with the phrases a clinician types.
"""

from __future__ import annotations

import pytest

from assistant.conversation import (
    Conversation,
    Event,
    EventKind,
    fold,
    last_score_path,
    merge,
    relabel,
    retract,
)
from assistant.facts import Facts, FractureSite, Frax, Intent, Mention, Parsed, Sex, Site, Span, Status
from tests.conftest import SEED_QUESTION

DOUBTS = {"questions", "contradictions", "notes"}


def _span(text: str, start: int = 0) -> Span:
    return Span(start=start, end=start + len(text), text=text)


# -- merge ----------------------------------------------------------------------------------------
def test_a_later_value_replaces_the_earlier_one_and_says_so() -> None:
    state, _ = merge(Facts(), Facts(age=67, sex=Sex.FEMALE))
    state, changes = merge(state, Facts(age=58))
    assert state.age == 58 and state.sex == Sex.FEMALE
    assert changes == ["age 58 (was 67)"]


def test_the_same_value_again_is_not_a_change() -> None:
    state, _ = merge(Facts(), Facts(age=67))
    _, changes = merge(state, Facts(age=67))
    assert changes == []


def test_merge_never_changes_the_earlier_state() -> None:
    first, _ = merge(Facts(), Facts(t_scores={Site.FEMORAL_NECK: -1.7}, conditions={"smoking": True}))
    second, _ = merge(first, Facts(t_scores={Site.FEMORAL_NECK: -2.6}, conditions={"smoking": False}))
    assert first.t_scores[Site.FEMORAL_NECK] == -1.7 and first.conditions["smoking"] is True
    assert second.t_scores[Site.FEMORAL_NECK] == -2.6 and second.conditions["smoking"] is False


def test_scores_merge_site_by_site_and_report_the_replaced_one() -> None:
    state, _ = merge(Facts(), Facts(t_scores={Site.TOTAL_HIP: -1.1, Site.FEMORAL_NECK: -1.7}))
    state, changes = merge(state, Facts(t_scores={Site.FEMORAL_NECK: -2.6}))
    assert state.t_scores == {Site.TOTAL_HIP: -1.1, Site.FEMORAL_NECK: -2.6}
    assert changes == ["femoral neck T-score -2.6 (was -1.7)"]


def test_frax_parts_merge_separately() -> None:
    state, _ = merge(Facts(), Facts(frax=Frax(major=11.0, hip=1.4)))
    state, changes = merge(state, Facts(frax=Frax(hip=3.2)))
    assert state.frax == Frax(major=11.0, hip=3.2)
    assert changes == ["FRAX hip 3.2% (was 1.4%)"]


def test_saying_she_never_had_a_fracture_clears_the_fracture_and_its_sites() -> None:
    state, _ = merge(
        Facts(),
        Facts(prior_fragility_fracture=True, fracture_sites=[FractureSite.WRIST], conditions={"recent_fracture": True}),
    )
    state, changes = merge(state, Facts(prior_fragility_fracture=False))
    assert state.prior_fragility_fracture is False
    assert state.fracture_sites == [] and "recent_fracture" not in state.conditions
    assert changes == ["prior fragility fracture: no (was yes, wrist)"]


def test_mentions_are_kept_once_per_concept_so_the_state_does_not_grow() -> None:
    state = Facts()
    for turn in range(1, 301):
        m = Mention(concept="smoking", category="risk_factor", span=_span("smokes"))
        state, _ = merge(state, Facts(conditions={"smoking": True}, mentions=[m]), turn)
    assert len(state.mentions) == 1 and state.mentions[0].span.turn == 300


def test_a_merged_mention_keeps_everything_but_its_span_which_gets_the_turn() -> None:
    from dataclasses import fields

    # the merge re-makes a mention field by field: a new field must be carried there too
    assert {f.name for f in fields(Mention)} == {"concept", "category", "status", "span", "detail", "why"}
    said = Mention(concept="smoking", category="condition", status=Status.NEGATED, detail="current", why="negated",
                   span=Span(start=3, end=9, text="smokes"))
    state, _ = merge(Facts(), Facts(mentions=[said]), 4)
    (kept,) = state.mentions
    for f in fields(Mention):
        if f.name != "span":
            assert getattr(kept, f.name) == getattr(said, f.name), f.name
    assert (kept.span.start, kept.span.end, kept.span.text, kept.span.turn) == (3, 9, "smokes", 4)


def test_doubts_belong_to_the_message_that_raised_them() -> None:
    from assistant.facts import Question

    q = Question(field="age", value="250", reason="implausible age")
    state, _ = merge(Facts(), Facts(questions=[q]))
    assert state.questions == [q]
    state, _ = merge(state, Facts(age=60))
    assert state.questions == []


# -- retract and relabel -----------------------------------------------------------------------
def test_retract_removes_only_what_was_there_and_names_it() -> None:
    state, _ = merge(Facts(), Facts(prior_fragility_fracture=True, fracture_sites=[FractureSite.HIP], age=70))
    state, removed = retract(state, ["prior_fragility_fracture", "egfr"])
    assert state.prior_fragility_fracture is None and state.fracture_sites == []
    assert state.age == 70
    assert removed == ["a prior fragility fracture (hip)"]


def test_retract_a_site_score_keeps_the_others() -> None:
    state, _ = merge(Facts(), Facts(t_scores={Site.TOTAL_HIP: -1.1, Site.FEMORAL_NECK: -1.7}))
    state, removed = retract(state, ["t_scores.femoral_neck"])
    assert state.t_scores == {Site.TOTAL_HIP: -1.1}
    assert removed == ["femoral neck T-score -1.7"]


def test_relabel_moves_the_last_stated_score_to_the_new_site() -> None:
    delta = Facts(
        t_scores={Site.TOTAL_HIP: -1.1, Site.FEMORAL_NECK: -1.7},
        sources={
            "t_scores.femoral_neck": _span("-1.7 at left femoral neck", 40),
            "t_scores.total_hip": _span("-1.1", 10),
        },
    )
    state, _ = merge(Facts(), delta, turn=1)
    assert last_score_path(state) == "t_scores.femoral_neck"
    state, changes = relabel(state, "t_scores.femoral_neck", Site.LUMBAR_SPINE)
    assert state.t_scores == {Site.TOTAL_HIP: -1.1, Site.LUMBAR_SPINE: -1.7}
    assert "t_scores.lumbar_spine" in state.sources and "t_scores.femoral_neck" not in state.sources
    assert changes == ["T-score -1.7 is at the lumbar spine (was femoral neck)"]


def test_a_later_turn_makes_its_score_the_last_one() -> None:
    state, _ = merge(Facts(), Facts(t_scores={Site.FEMORAL_NECK: -1.7},
                                    sources={"t_scores.femoral_neck": _span("-1.7", 50)}), turn=1)
    state, _ = merge(state, Facts(t_score_unsited=-2.7, sources={"t_score_unsited": _span("-2.7", 3)}), turn=2)
    assert last_score_path(state) == "t_score_unsited"


# -- the fold ------------------------------------------------------------------------------------
def test_fold_of_the_events_is_the_state() -> None:
    events = [
        Event(EventKind.SAID, 1, text="..."),
        Event(EventKind.ASSERTED, 1, facts=Facts(age=67, t_scores={Site.FEMORAL_NECK: -1.7})),
        Event(EventKind.WHAT_IF, 2, facts=Facts(egfr=30.0)),
        Event(EventKind.CORRECTED, 3, facts=Facts(age=58)),
        Event(EventKind.RETRACTED, 4, fields=("t_scores.femoral_neck",)),
    ]
    f = fold(events)
    assert f.age == 58 and f.egfr is None and f.t_scores == {}
    assert fold([*events, Event(EventKind.RESET, 5)]) == Facts()


# -- through the parser and the engine ---------------------------------------------------------
@pytest.fixture
def seeded() -> Conversation:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    return conv


def _same_state(conv: Conversation) -> None:
    """The incremental state is the fold of the log."""
    assert fold(conv.events).model_dump(exclude=DOUBTS) == conv.facts.model_dump(exclude=DOUBTS)


def test_facts_from_several_turns_are_combined(seeded: Conversation) -> None:
    reply = seeded.ask("She is 67; FRAX 11% major, 1.4% hip.")
    f = seeded.facts
    assert f.t_scores == {Site.TOTAL_HIP: -1.1, Site.FEMORAL_NECK: -1.7}
    assert f.age == 67 and f.frax == Frax(major=11.0, hip=1.4)
    assert reply.answer is not None and reply.answer.assessment.decision == "no"
    _same_state(seeded)


def test_a_corrected_age_is_announced(seeded: Conversation) -> None:
    seeded.ask("She is 67; FRAX 11% major, 1.4% hip.")
    reply = seeded.ask("actually she's 58")
    assert seeded.facts.age == 58
    assert "Updated: age 58 (was 67)" in reply.text
    _same_state(seeded)


def test_the_decision_change_names_both_decisions_and_the_fact(seeded: Conversation) -> None:
    reply = seeded.ask("She is 67; FRAX 11% major, 1.4% hip.")
    assert reply.decision_change is not None
    before, after, cause = reply.decision_change
    assert (before, after) == ("conditional", "no")
    assert any("FRAX" in c for c in cause) and not any("age" in c for c in cause)
    assert "FRAX" in reply.text.split("\n\n")[0]


def test_a_what_if_is_answered_but_not_kept(seeded: Conversation) -> None:
    seeded.ask("She is 67; FRAX 11% major, 1.4% hip.")
    before = seeded.facts
    reply = seeded.ask("what if her eGFR were 30?")
    assert reply.hypothetical
    assert reply.answer is not None and reply.answer.assessment.facts.egfr == 30
    assert seeded.facts is before and seeded.facts.egfr is None
    assert "hypothetical" in reply.text.lower()
    _same_state(seeded)


def test_a_man_what_if_does_not_change_the_sex(seeded: Conversation) -> None:
    seeded.ask("She is 67; FRAX 11% major, 1.4% hip.")
    reply = seeded.ask("and if she were a man?")
    assert reply.hypothetical
    assert seeded.facts.sex == Sex.FEMALE


def test_why_explains_the_last_decision_with_its_threshold(seeded: Conversation) -> None:
    seeded.ask("She is 67; FRAX 11% major, 1.4% hip.")
    reply = seeded.ask("why?")
    assert reply.kind == "why"
    assert "FRAX major 11%" in reply.text and "20%" in reply.text
    assert reply.cited


def test_show_2_prints_the_second_citation_of_the_last_answer(seeded: Conversation) -> None:
    answer = seeded.last_answer
    assert answer is not None and len(answer.citations) >= 2
    reply = seeded.ask("show 2")
    assert reply.kind == "sources"
    second = answer.citations[1]  # citation 2 is a reference; its passages are listed under it
    assert reply.cited == answer.passages[second]
    assert reply.text.startswith("[2] Source: ")
    assert all(pid in reply.text for pid in answer.passages[second])


def test_reset_starts_over(seeded: Conversation) -> None:
    reply = seeded.ask("new patient")
    assert reply.kind == "reset"
    assert seeded.facts == Facts()
    assert seeded.ask("why?").kind == "message"


def test_out_of_scope_and_unreadable_turns_leave_the_state_intact(seeded: Conversation) -> None:
    before = seeded.facts
    assert seeded.ask("What is the capital of France?").kind in ("out_of_scope", "message")
    assert seeded.ask("asdf qwerty zxcv").kind in ("message", "out_of_scope")
    assert seeded.facts.model_dump(exclude=DOUBTS) == before.model_dump(exclude=DOUBTS)


def test_an_internal_error_answers_sorry_and_keeps_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    conv = Conversation()
    conv.ask(SEED_QUESTION)
    before = conv.facts

    def boom(text: str) -> None:
        raise RuntimeError("parser broke")

    monkeypatch.setattr("assistant.conversation.parse", boom)
    reply = conv.ask("She is 67")
    assert reply.kind == "message" and "went wrong" in reply.text and reply.error
    assert conv.facts is before


# -- the layer alone, with the parser's output given directly ----------------------------------
def _scripted(monkeypatch: pytest.MonkeyPatch, script: dict[str, Parsed]) -> Conversation:
    monkeypatch.setattr("assistant.conversation.parse", lambda text: script[text])
    return Conversation(strict=True)


def test_relabel_with_no_score_yet_asks_for_the_score(monkeypatch: pytest.MonkeyPatch) -> None:
    conv = _scripted(monkeypatch, {"that was the spine": Parsed(text="", relabel_site=Site.LUMBAR_SPINE)})
    reply = conv.ask("that was the spine")
    assert reply.kind == "message" and "no earlier score" in reply.text
    assert conv.facts == Facts()


def test_a_what_if_that_would_change_the_decision_says_so_and_changes_nothing(monkeypatch) -> None:
    script = {
        "facts": Parsed(text="", facts=Facts(age=67, sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -1.7},
                                             frax=Frax(major=11.0, hip=1.4)), intents=[Intent.FACTS_ONLY]),
        "what if": Parsed(text="", hypothetical=Facts(frax=Frax(major=25.0)), intents=[Intent.FACTS_ONLY]),
        "full": Parsed(text="", intents=[Intent.FULL_PLAN]),
    }
    conv = _scripted(monkeypatch, script)
    assert conv.ask("facts").answer.assessment.decision == "no"
    reply = conv.ask("what if")
    assert reply.hypothetical and reply.decision_change == ("no", "yes", ["FRAX major 25%"])
    assert "would change from not indicated to indicated because of FRAX major 25%" in reply.text
    assert conv.facts.frax == Frax(major=11.0, hip=1.4)
    again = conv.ask("full")
    assert again.decision_change is None and not again.hypothetical
    assert again.answer.assessment.decision == "no"
    assert [e.kind for e in conv.events if e.kind != EventKind.SAID] == [EventKind.ASSERTED, EventKind.WHAT_IF]


def test_why_after_a_what_if_explains_the_what_if(monkeypatch: pytest.MonkeyPatch) -> None:
    script = {
        "facts": Parsed(text="", facts=Facts(age=67, t_scores={Site.FEMORAL_NECK: -1.7},
                                             frax=Frax(major=11.0, hip=1.4)), intents=[Intent.FACTS_ONLY]),
        "what if": Parsed(text="", hypothetical=Facts(frax=Frax(major=25.0)), intents=[Intent.FACTS_ONLY]),
        "why": Parsed(text="", intents=[Intent.WHY]),
    }
    conv = _scripted(monkeypatch, script)
    conv.ask("facts")
    conv.ask("what if")
    reply = conv.ask("why")
    assert reply.kind == "why" and reply.hypothetical
    assert "what-if" in reply.text and "FRAX major 25%" in reply.text


def test_a_turn_with_a_retraction_and_a_new_value_reports_both(monkeypatch: pytest.MonkeyPatch) -> None:
    script = {
        "first": Parsed(text="", facts=Facts(age=70, prior_fragility_fracture=True,
                                             fracture_sites=[FractureSite.HIP]), intents=[Intent.FACTS_ONLY]),
        "fix": Parsed(text="", facts=Facts(age=71), retract=["prior_fragility_fracture"], is_correction=True,
                      intents=[Intent.FACTS_ONLY]),
    }
    conv = _scripted(monkeypatch, script)
    conv.ask("first")
    reply = conv.ask("fix")
    assert "Updated: age 71 (was 70)." in reply.text
    assert "Removed: a prior fragility fracture (hip)." in reply.text
    assert conv.facts.prior_fragility_fracture is None and conv.facts.fracture_sites == []
    assert fold(conv.events).model_dump(exclude=DOUBTS) == conv.facts.model_dump(exclude=DOUBTS)
