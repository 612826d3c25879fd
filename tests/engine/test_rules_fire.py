"""Every rule, named: for each, a patient it applies to, and what it concludes there (one vignette a rule that
no other test names). The id is what the trace, `why?` and the JSON answer show."""

from __future__ import annotations

import pytest

from assistant.conversation import Conversation
from assistant.engine import all_rules, assess
from assistant.facts import Facts, FractureSite, Frax, Intent, Medication, Menopause, Sex, Site

WOMAN_70 = {"age": 70, "sex": Sex.FEMALE, "menopause": Menopause.POST}
OSTEOPOROSIS = {**WOMAN_70, "t_scores": {Site.FEMORAL_NECK: -2.7}}
VERY_LOW = {**WOMAN_70, "t_scores": {Site.FEMORAL_NECK: -3.2}}  # AACE very high risk: T below -3.0
LOW_MASS_67 = {"age": 67, "sex": Sex.FEMALE, "menopause": Menopause.POST, "t_scores": {Site.FEMORAL_NECK: -1.7}}

# rule id -> (facts, profile, a recommendation id the rule makes, or None when it only concludes)
VIGNETTES: dict[str, tuple[dict, str, str | None]] = {
    "dx-stated-diagnosis": ({**WOMAN_70, "conditions": {"osteoporosis_stated": True}}, "us", "dx-stated"),
    "risk-frax-on-treatment": (
        {**LOW_MASS_67, "frax": Frax(major=12.0, hip=1.5), "medications": [Medication(name="alendronate")]},
        "us",
        "risk-frax-on-treatment",
    ),
    "treat-fragility-fracture-any-bmd-aace": (
        {
            **WOMAN_70,
            "t_scores": {Site.FEMORAL_NECK: -0.6},
            "prior_fragility_fracture": True,
            "fracture_sites": [FractureSite.RIB],
        },
        "aace",
        None,
    ),
    "acp-low-bone-mass-individualised": (LOW_MASS_67, "acp", None),
    "very-high-risk-endocrine": (
        {**OSTEOPOROSIS, "prior_fragility_fracture": True, "fracture_sites": [FractureSite.WRIST]},
        "endocrine",
        "very-high-risk",
    ),
    "very-high-risk-undefined-acp": (OSTEOPOROSIS, "acp", "very-high-risk-undefined"),
    "risk-frax-no-threshold-acp": ({**LOW_MASS_67, "frax": Frax(major=11.0, hip=1.4)}, "acp", "risk-frax-no-threshold"),
    "workup-testosterone-men": (
        {"age": 62, "sex": Sex.MALE, "t_scores": {Site.FEMORAL_NECK: -2.0}},
        "us",
        "workup-testosterone",
    ),
    "workup-coeliac": ({**OSTEOPOROSIS, "conditions": {"malabsorption": True}}, "us", None),
    "workup-cushing": ({**OSTEOPOROSIS, "conditions": {"cushings": True}}, "us", None),
    "drug-anabolic-first": (VERY_LOW, "us", "drug-teriparatide"),
    "drug-first-line-oral": (OSTEOPOROSIS, "us", "drug-alendronate"),
    "drug-parenteral-alternatives": (OSTEOPOROSIS, "us", "drug-zoledronic-acid"),
    "drug-current-therapy": (
        {**OSTEOPOROSIS, "medications": [Medication(name="denosumab")]},
        "us",
        "drug-current-denosumab",
    ),
    "safety-renal-cutoffs": ({**OSTEOPOROSIS, "egfr": 25.0}, "us", None),
    "safety-romosozumab-cardiovascular": (VERY_LOW, "us", "safety-romosozumab-ask"),
    "duration-anabolic-course": ({**OSTEOPOROSIS, "medications": [Medication(name="teriparatide")]}, "us", None),
}


@pytest.mark.parametrize("rule_id", sorted(VIGNETTES))
def test_the_rule_applies_to_its_patient(rule_id: str) -> None:
    facts, profile, rec_id = VIGNETTES[rule_id]
    a = assess(Facts(**facts), Intent.MANAGEMENT_OVERALL, profile)
    assert rule_id in [t.rule for t in a.trace], [t.rule for t in a.trace]
    if rec_id is not None:
        assert rec_id in [r.id for r in a.recommendations]


def test_drug_anabolic_asked_places_a_named_anabolic_drug() -> None:
    """`drug-anabolic-asked`: a drug asked about by name, outside very high risk, is placed by the guidelines."""
    conv = Conversation()
    conv.ask("Is Evenity appropriate for a 70-year-old woman with a femoral neck T-score of -2.7?")
    a = conv.last_assessment
    assert a is not None
    assert "drug-anabolic-asked" in [t.rule for t in a.trace]
    assert "drug-anabolic-place" in [r.id for r in a.recommendations]


def test_rule_ids_are_lowercase_words_joined_by_hyphens_and_unique() -> None:
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert all(i == i.lower() and " " not in i and "_" not in i and not i.startswith("-") for i in ids)
