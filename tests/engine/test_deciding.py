"""`assess(..., decision_only=True)` runs only the deciding topics; the guideline comparison and the search
for the fact that changed a decision rely on it giving the same classification, decision, reason and
very-high-risk flag as a whole assessment. Checked on the facts of every transcript turn (and its what-ifs),
under every profile and for the questions the conversation asks with."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.conversation import PROFILES, Conversation
from assistant.engine import DECIDING_TOPICS, all_rules, assess
from assistant.facts import Facts, Intent
from assistant.replay import load_transcript

TRANSCRIPTS = sorted((Path(__file__).resolve().parent.parent / "transcripts").glob("*.transcript.yaml"))
INTENTS = (Intent.MANAGEMENT_OVERALL, Intent.TREAT_OR_NOT, Intent.COMPARE, Intent.DRUG_CHOICE, Intent.LABS_WORKUP)


def _facts_seen() -> list[Facts]:
    seen: list[Facts] = []
    for path in TRANSCRIPTS:
        t = load_transcript(path)
        conv = Conversation(profile=t.profile)
        for turn in t.turns:
            reply = conv.ask(turn.user)
            if reply.answer is not None:
                seen.append(reply.answer.assessment.facts)  # what-ifs included (the facts the engine was given)
    return seen


FACTS = _facts_seen()


def test_the_transcripts_give_many_different_patients() -> None:
    assert len({f.model_dump_json() for f in FACTS}) >= 40


def test_only_deciding_topics_set_the_decision() -> None:
    topics = {r.topic for r in all_rules()}
    assert set(DECIDING_TOPICS) < topics  # later topics exist and are left out


@pytest.mark.parametrize("profile", PROFILES)
def test_decision_only_gives_the_same_decision_as_the_whole_assessment(profile: str) -> None:
    differ = []
    for facts in FACTS:
        for intent in INTENTS:
            whole = assess(facts, intent, profile)
            part = assess(facts, intent, profile, decision_only=True)
            got = (part.classification, part.decision, part.because, part.very_high_risk, part.in_scope)
            want = (whole.classification, whole.decision, whole.because, whole.very_high_risk, whole.in_scope)
            if got != want:
                differ.append((facts.contract_dict(), intent.value, got, want))
    assert not differ, differ[:3]


def test_decision_only_runs_fewer_rules() -> None:
    facts = FACTS[0]
    whole = assess(facts, Intent.MANAGEMENT_OVERALL)
    part = assess(facts, Intent.MANAGEMENT_OVERALL, decision_only=True)
    assert len(part.trace) < len(whole.trace)
    assert not part.recommendations or len(part.recommendations) < len(whole.recommendations)
