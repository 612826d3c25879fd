"""Issue 16's safety invariants end to end: generated clinical notes, in the words clinicians write, go through
the parser, the conversation, the engine and the renderer; whatever else the note says, the answer never offers
an oral bisphosphonate after gastric bypass, raloxifene with an aromatase inhibitor, an antiresorptive with an
established atypical femur fracture or an osteomalacia pattern, and never says kidney function is not given
when dialysis is stated. Every reply also passes the general checks (tests/robustness/checks.py)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.conversation import Conversation
from tests.robustness.checks import check_reply

PATIENTS = ["68F", "72-year-old woman", "70M", "a 65 yo postmenopausal woman", "Mrs K, 80"]
BONE = ["T-score -2.7 at the femoral neck", "FN T -1.9, FRAX 22% / 3.4%", "LS T -3.1", "osteopenia", ""]
SITUATIONS = {
    "bypass": ["after Roux-en-Y gastric bypass", "s/p gastric bypass", "had a sleeve gastrectomy"],
    "ai": ["on anastrozole for ER-positive breast cancer", "taking letrozole", "on an aromatase inhibitor"],
    "aff": ["atypical femur fracture on alendronate", "had an atypical femoral fracture last year"],
    "om": ["low calcium, vitamin D 6 ng/mL and high alkaline phosphatase", "osteomalacia suspected"],
    "dialysis": ["on hemodialysis", "on peritoneal dialysis"],
}
QUESTIONS = ["What treatment?", "Which drug?", "Should we start zoledronic acid?", "What dose?", "Manage?", ""]

notes = st.builds(
    lambda who, bone, picked, q: (", ".join(x for x in [who, bone, *[s for _, s in picked]] if x) + ". " + q, picked),
    st.sampled_from(PATIENTS),
    st.sampled_from(BONE),
    st.lists(
        st.sampled_from(list(SITUATIONS)).flatmap(lambda k: st.sampled_from(SITUATIONS[k]).map(lambda s: (k, s))),
        min_size=1,
        max_size=3,
        unique_by=lambda x: x[0],
    ),
    st.sampled_from(QUESTIONS),
)

ORAL_BP = re.compile(r"\b(?:alendronate 70 mg|risedronate 35 mg|ibandronate 150 mg)", re.I)
RALOXIFENE_OFFER = re.compile(r"\braloxifene 60 mg\b", re.I)
ANTIRESORPTIVE_OFFER = re.compile(
    r"\b(?:alendronate 70 mg|risedronate 35 mg|ibandronate 150 mg|zoledronic acid 5 mg|denosumab 60 mg by|"
    r"raloxifene 60 mg)",
    re.I,
)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(note=notes)
def test_situation_invariants_hold_on_free_text(note: tuple[str, list[tuple[str, str]]]) -> None:
    text, picked = note
    kinds = {k for k, _ in picked}
    reply = Conversation(profile="us").ask(text)
    check_reply(reply)
    answer = reply.answer
    assert answer is not None
    offered = {r.id for r in answer.assessment.recommendations if r.id.startswith("drug-")}
    body = reply.text
    if "bypass" in kinds:
        assert not offered & {"drug-alendronate", "drug-risedronate", "drug-ibandronate"}, text
    if "ai" in kinds:
        assert "drug-raloxifene" not in offered and not RALOXIFENE_OFFER.search(body), text
    if "aff" in kinds or "om" in kinds:
        starts = {"drug-alendronate", "drug-risedronate", "drug-ibandronate", "drug-zoledronic-acid",
                  "drug-denosumab", "drug-raloxifene"}
        assert not offered & starts, (text, offered)
    if "dialysis" in kinds:
        assert not re.search(r"kidney function[^.]*not given", body), text
