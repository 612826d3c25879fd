"""What is asked, and follow-ups: corrections, removals, what-ifs, profiles, sources."""

from __future__ import annotations

import pytest

from tests.parse.conftest import check

INTENTS = [
    ("How should I manage a 70-year-old woman with osteoporosis?", "management_overall"),
    ("Should I start treatment in a 66F with FN -2.0 and FRAX 12/2?", "treat_or_not"),
    ("Does she need medication?", "treat_or_not"),
    ("Which drug would you pick for her?", "drug_choice"),
    ("what medication is first-line for a man with osteoporosis", "drug_choice"),
    ("What dose of alendronate?", "dose"),
    ("What labs should I order before starting therapy?", "labs_workup"),
    ("secondary causes work-up", "labs_workup"),
    ("How much calcium and vitamin D should she take?", "supplements"),
    ("When should I repeat the DXA?", "monitoring_interval"),
    ("how often to monitor bone density on treatment", "monitoring_interval"),
    ("Is it time for a drug holiday after 5 years of alendronate?", "drug_holiday_or_duration"),
    ("How long should she stay on risedronate?", "drug_holiday_or_duration"),
    ("Can she just stop her Prolia?", "denosumab_stop"),
    ("what happens if she misses a denosumab dose", "denosumab_stop"),
    ("Is this osteoporosis or osteopenia?", "diagnosis_classification"),
    ("what does a T-score of -2.1 mean", "diagnosis_classification"),
    ("what about her kidneys?", "renal_dosing"),
    ("Can I give zoledronic acid with a CrCl of 30?", "renal_dosing"),
    ("bone protection on long-term prednisone", "glucocorticoid"),
    ("who should be screened for osteoporosis", "screening"),
    ("why?", "why"),
    ("why not alendronate?", "why"),
    ("sources", "sources"),
    ("what do you need?", "missing_facts"),
    ("full plan please", "full_plan"),
    ("give me a summary", "full_plan"),
    ("new patient", "reset"),
    ("reset", "reset"),
    ("compare guidelines", "compare"),
    ("how do AACE and ACP differ here?", "compare"),
    ("how do I treat gout?", "out_of_scope"),
    ("dose of amoxicillin for otitis media", "out_of_scope"),
    ("what's the weather like?", "out_of_scope"),
    ("she's 67, FRAX 11% / 1.4%", "facts_only"),
    ("67F, FN -1.7, FRAX 11/1.4", "facts_only"),
    ("osteopenia", "management_overall"),
    ("What are the treatment options for osteoporosis in men?", "drug_choice"),
    ("What is the recommended treatment for osteopenia of the hip?", "treat_or_not"),
]

FOLLOW_UPS = [
    ("actually she's 58", {"correction": True, "age": 58}),
    ("sorry, that was the lumbar spine", {"correction": True, "relabel": "lumbar_spine"}),
    ("no, she never had a fracture", {"fracture": False, "retract": ["fracture_sites"]}),
    ("forget the FRAX", {"retract": ["frax"]}),
    ("what if her eGFR were 30?", {"egfr": None, "hypo": {"egfr": 30.0}}),
    ("and if she were a man?", {"sex": None, "hypo": {"sex": "male"}}),
    ("what if she had a vertebral fracture?",
     {"fracture": None, "hypo": {"fracture": True, "sites": ["vertebral"]}}),
    ("suppose her FRAX were 25% and 4%", {"frax": None, "hypo": {"frax": {"major": 25.0, "hip": 4.0}}}),
    ("what if she were on prednisone 10 mg?", {"gc": None, "hypo": {"gc": True, "gc_dose": 10.0}}),
    ("she is 70; what if her T-score were -3.1?", {"age": 70, "t_unsited": None, "hypo": {"t_unsited": -3.1}}),
    ("use the AACE profile", {"profile": "aace"}),
    ("switch to ACP", {"profile": "acp"}),
    ("use the Endocrine Society guidelines", {"profile": "endocrine"}),
    ("show 2", {"show": 2, "intent": "sources"}),
    ("show source [3]", {"show": 3}),
    ("she is 67", {"correction": False, "no_hypo": True, "retract": []}),
]


@pytest.mark.parametrize(("text", "want"), INTENTS, ids=[c[0][:50] for c in INTENTS])
def test_main_intent(text: str, want: str) -> None:
    check(text, {"intent": want})


@pytest.mark.parametrize(("text", "expect"), FOLLOW_UPS, ids=[c[0][:50] for c in FOLLOW_UPS])
def test_follow_ups(text: str, expect: dict) -> None:
    check(text, expect)


def test_terse_note_reads_every_fact() -> None:
    check(
        "67F, FN T -1.7, TH -1.1, FRAX MOF 11% / hip 1.4%, prior wrist fx, on pred 7.5 mg x 6 mo, eGFR 32",
        {
            "age": 67, "sex": "female", "t": {"femoral_neck": -1.7, "total_hip": -1.1},
            "frax": {"major": 11.0, "hip": 1.4}, "fracture": True, "sites": ["wrist"],
            "gc": True, "gc_dose": 7.5, "gc_months": 6.0, "egfr": 32.0, "intent": "facts_only",
        },
    )


def test_every_fact_has_its_source_span() -> None:
    text = ("A 71-year-old postmenopausal woman, FN T-score \u20132.6, FRAX 18/3.2, eGFR 44, smoker, "
            "on Fosamax for 3 years")
    p = check(text, {"age": 71, "t": {"femoral_neck": -2.6}, "egfr": 44.0})
    for key in ("age", "sex", "menopause", "t_scores.femoral_neck", "frax.major", "frax.hip", "egfr",
                "conditions.smoking"):
        span = p.facts.sources[key]
        assert text[span.start : span.end] == span.text and span.text
    assert p.facts.sources["t_scores.femoral_neck"].text.startswith("FN")
    assert all(text[m.span.start : m.span.end] == m.span.text for m in p.facts.mentions)
    assert p.facts.medications[0].span is not None


@pytest.mark.parametrize(
    "text",
    ["60-year-old man with chest pain and ST elevation, what now?", "Write me a poem about bones.",
     "What is the capital of France?"],
)
def test_other_topics_are_out_of_scope_even_with_a_patient(text: str) -> None:
    check(text, {"intent": "out_of_scope"})


@pytest.mark.parametrize("text, first", [
    ("what if she stops denosumab, which drug after, and when do we repeat the dxa?", "denosumab_stop"),
    ("compare the acp and aace guidelines", "compare"),
    ("does she have osteoporosis? what would you need, what's missing", "missing_facts"),
    ("summarize everything: the full plan, why, and the next step", "full_plan"),
    ("Can she just stop her Prolia?", "denosumab_stop"),
])
def test_cue_entries_are_tried_in_priority_order(text: str, first: str) -> None:
    """The lexicon's intent entries are tried in order: the earliest entry that matches is the main intent."""
    from assistant.parse.intent import find_intents
    from assistant.parse.normalise import normalise

    found = find_intents(normalise(text).text)
    assert found and found[0].value == first, found
    assert len(found) == len(set(found))


@pytest.mark.parametrize("text, asks", [
    ("What should we do for her?", True),
    ("  which drug is best", True),
    ("please advise on her bone density", True),
    ("she is on prednisone for asthma", False),
    ("the whatever is fine", False),
    ("67F, FN T -1.7, FRAX 11/1.4", False),
    ("options for a 70-year-old man", True),
    ("somewhat helpful report", False),
])
def test_is_question_tries_the_question_pattern_branch_by_branch(text: str, asks: bool) -> None:
    from assistant.parse.intent import QUESTION, is_question
    from assistant.parse.normalise import normalise

    low = normalise(text).text
    assert is_question(low) is asks
    assert (QUESTION.search(low) is not None) is asks


@pytest.mark.parametrize("text", [
    "Is a bisphosphonate indicated for a 69-year-old woman with a T-score of -2.3?",
    "is drug therapy warranted in this 60F with FN -2.0?",
    "Would treatment be recommended for her?",
    "Is alendronate necessary at this point?",
])
def test_is_a_drug_indicated_asks_whether_to_treat(text: str) -> None:
    check(text, {"intent": "treat_or_not"})
