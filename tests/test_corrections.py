"""Follow-ups that refer back (issue 15, class 7): the earlier fact is corrected or removed and the answer says
what changed."""

from __future__ import annotations

import pytest

from assistant.conversation import Conversation
from assistant.conversation_fold import fold
from assistant.facts import Site

SEED = "70-year-old woman, T-score -2.0 at the hip, wrist fracture, on prednisone 10 mg daily, on Fosamax"


def seeded() -> Conversation:
    conv = Conversation()
    conv.ask(SEED)
    assert conv.facts.prior_fragility_fracture is True and conv.facts.glucocorticoids is True
    return conv


@pytest.mark.parametrize("text", [
    "sorry, that fracture was from a car crash",
    "the wrist fracture happened in a motor vehicle accident",
    "actually the fracture was traumatic",
    "correction: she broke her wrist falling off a horse",
    "that fracture was from a fall from a ladder",
])
def test_a_fracture_said_to_be_traumatic_is_no_longer_counted(text: str) -> None:
    conv = seeded()
    reply = conv.ask(text)
    assert conv.facts.prior_fragility_fracture is None and not conv.facts.fracture_sites, text
    assert any("fracture" in c and "removed" in c for c in reply.changes), reply.changes
    assert "traumatic" in reply.text


@pytest.mark.parametrize("text", [
    "actually it was the spine, not the hip", "sorry, that was the lumbar spine", "I meant the spine",
    "correction: that T-score was at the lumbar spine", "sorry, the hip value was actually the spine",
    "oops, the hip was really the lumbar spine",
])
def test_a_score_moves_to_the_site_said(text: str) -> None:
    conv = seeded()
    reply = conv.ask(text)
    assert conv.facts.t_scores == {Site.LUMBAR_SPINE: -2.0}, text
    assert any("lumbar spine" in c for c in reply.changes), reply.changes


@pytest.mark.parametrize("first", [
    "70-year-old woman who broke her hip last year, femoral neck T-score -2.0",
    "70F, hip fx 2023 after a fall from standing, FN -2.0, FRAX 15/2.5",
])
@pytest.mark.parametrize("text", ["actually it was the spine, not the hip", "sorry, it was her spine not her hip"])
def test_a_hip_fracture_said_to_be_the_spine_moves_the_fracture_not_the_score(first: str, text: str) -> None:
    conv = Conversation()
    conv.ask(first)
    assert conv.facts.fracture_sites == ["hip"] and conv.facts.t_scores == {Site.FEMORAL_NECK: -2.0}
    reply = conv.ask(text)
    assert conv.facts.fracture_sites == ["vertebral"], text
    assert conv.facts.t_scores == {Site.FEMORAL_NECK: -2.0}, "the femoral-neck score stays where it was"
    assert any("vertebral" in c for c in reply.changes), reply.changes
    assert fold(conv.events).fracture_sites == ["vertebral"]  # the journal replays to the same facts


@pytest.mark.parametrize("text", ["scratch the steroids", "forget the prednisone", "ignore the steroids",
                                  "please remove the glucocorticoids"])
def test_scratching_the_steroids_removes_use_and_dose(text: str) -> None:
    conv = seeded()
    reply = conv.ask(text)
    assert conv.facts.glucocorticoids is None and conv.facts.glucocorticoid_dose_mg is None, text
    assert any("removed" in c for c in reply.changes), reply.changes


@pytest.mark.parametrize("text", ["scratch the Fosamax", "forget the alendronate", "drop the Fosamax"])
def test_scratching_a_drug_removes_it(text: str) -> None:
    conv = seeded()
    reply = conv.ask(text)
    assert conv.facts.medications == [], text
    assert "alendronate removed" in reply.changes


@pytest.mark.parametrize("text", ["she stopped the Fosamax last year", "she is no longer on Fosamax",
                                  "Fosamax was discontinued in 2023"])
def test_stopping_a_drug_says_so(text: str) -> None:
    conv = seeded()
    reply = conv.ask(text)
    assert [(m.name, m.status.value) for m in conv.facts.medications] == [("alendronate", "historical")], text
    assert "alendronate: stopped (was taking)" in reply.changes
