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
    "decision-treat-fragility-fracture-any-bmd-aace": (
        {
            **WOMAN_70,
            "t_scores": {Site.FEMORAL_NECK: -0.6},
            "prior_fragility_fracture": True,
            "fracture_sites": [FractureSite.RIB],
        },
        "aace",
        None,
    ),
    "decision-acp-low-bone-mass-individualised": (LOW_MASS_67, "acp", None),
    "decision-very-high-risk-endocrine": (
        {**OSTEOPOROSIS, "prior_fragility_fracture": True, "fracture_sites": [FractureSite.WRIST]},
        "endocrine",
        "very-high-risk",
    ),
    "decision-very-high-risk-undefined-acp": (OSTEOPOROSIS, "acp", "very-high-risk-undefined"),
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


SEED = (
    "What is the appropriate management for a patient with osteopenia "
    "(T-score -1.1 at total hip and -1.7 at femoral neck)?"
)
# rule id -> (what a clinician types, profile): the rules the answer to these words runs
PHRASES: dict[str, tuple[str, str]] = {
    "risk-frax-vs-thresholds": ("67-year-old woman, femoral neck T-score -1.7, FRAX 11% major, 1.4% hip.", "us"),
    "situation-atypical-femur-fracture": ("She has just had an atypical femur fracture.", "us"),
    "situation-prodromal-thigh-pain": (
        "70F, FN T -2.2, on alendronate for 7 years, months of aching thigh pain.",
        "us",
    ),
    "situation-osteomalacia-pattern": (
        "78F, femoral neck T -2.9, calcium low, vitamin D 6 ng/mL, high alkaline phosphatase. Zoledronic acid?",
        "us",
    ),
    "situation-ckd-g4-g5-dialysis": ("70-year-old woman, femoral neck T-score -2.7, eGFR 28", "us"),
    "situation-glucocorticoids-acr-stratum": ("55-year-old woman on prednisone 40 mg a day, no DXA yet. Treat?", "us"),
    "situation-cancer-treatment-bone-loss": ("She has ER-positive breast cancer and is starting anastrozole.", "us"),
    "situation-primary-hyperparathyroidism": (
        "58-year-old woman with primary hyperparathyroidism, calcium 11.2, femoral neck T-score -1.9. Management?",
        "us",
    ),
    "situation-bariatric-surgery": (
        "65-year-old woman after gastric bypass, lumbar spine T-score -2.7. Which drug?",
        "us",
    ),
    "situation-denosumab-timing": ("69-year-old woman, last Prolia shot 10 months ago. What now?", "us"),
    "situation-anabolic-sequences": ("She has been on teriparatide for 2 years. Can she continue it?", "us"),
    "situation-traumatic-fracture": (
        "55-year-old woman who broke her wrist in a car crash, femoral neck T-score -1.6",
        "us",
    ),
    "evidence-fracture-burden": (SEED, "us"),
    "workup-core-panel": (SEED, "us"),
    "workup-myeloma-screen": (SEED, "us"),
    "universal-calcium-intake": (SEED, "us"),
    "universal-vitamin-d-intake": (SEED, "us"),
    "universal-vitamin-d-target": (SEED, "us"),
    "universal-exercise": (SEED, "us"),
    "universal-falls-prevention": (SEED, "us"),
    "universal-smoking-cessation": (SEED, "us"),
    "universal-alcohol-limit": (SEED, "us"),
    "special-younger-adults": (SEED, "us"),
    "pitfall-t-score-alone": (SEED, "us"),
    "pitfall-universal-measures-now": (SEED, "us"),
    "pitfall-frax-with-osteoporosis": (SEED, "us"),
    "pitfall-secondary-causes": (SEED, "us"),
}


@pytest.mark.parametrize("rule_id", sorted(PHRASES))
def test_the_rule_runs_on_the_words(rule_id: str) -> None:
    text, profile = PHRASES[rule_id]
    conv = Conversation(profile=profile)
    conv.ask(text)
    a = conv.last_assessment
    assert a is not None
    step = next((s for s in a.trace if s.rule == rule_id), None)
    assert step is not None, [s.rule for s in a.trace]
    assert step.result and step.cites  # what it concluded, and from which passages
