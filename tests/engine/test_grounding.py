"""Grounding over all rules and many fact combinations: every recommendation cites existing passages,
every statement renders, and every number in a rendered text comes from a cited passage, a cited
reference's year, the facts, or the engine's published FRAX arithmetic on those facts."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.corpus import default_corpus
from assistant.engine import Assessment, Decision, Section, all_rules, assess
from assistant.engine.knowledge.frax import (
    GC_HIGH_HIP_CHANGE,
    GC_HIGH_MAJOR_CHANGE,
    GC_LOW_HIP_CHANGE,
    GC_LOW_MAJOR_CHANGE,
    adjusted_frax,
)
from assistant.facts import Facts, FractureSite, Frax, Intent, Medication, Menopause, Mention, Sex, Site, Span, Status
from assistant.statements import render_statement

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[float]:
    out: set[float] = set()
    for m in NUMBER.findall(text):
        out.add(float(m.replace(",", "")))
    return out


def _fact_numbers(value: object) -> set[float]:
    out: set[float] = set()
    if isinstance(value, bool) or value is None:
        return out
    if isinstance(value, (int, float)):
        out.add(abs(float(value)))
    elif isinstance(value, dict):
        for v in value.values():
            out |= _fact_numbers(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out |= _fact_numbers(v)
    return out


def derived_numbers(f: Facts) -> set[float]:
    """Values the engine derives from the facts with the published adjustments (tested separately)."""
    view = adjusted_frax(f)
    if view is None:
        return set()
    out = {abs(float(view.spine_units))}
    for v in (view.major, view.hip):
        if v is not None:
            out.add(v)
    for raw, changes in (
        (view.major_raw, (GC_LOW_MAJOR_CHANGE.value, GC_HIGH_MAJOR_CHANGE.value)),
        (view.hip_raw, (GC_LOW_HIP_CHANGE.value, GC_HIGH_HIP_CHANGE.value)),
    ):
        if raw is not None:
            out.update(round(raw * (100 + c) / 100, 1) for c in changes)
    return out


def check_grounded(a: Assessment) -> None:
    corpus = default_corpus()
    allowed_facts = _fact_numbers(a.facts.model_dump(exclude={"sources", "mentions", "questions", "notes"}))
    allowed_facts |= derived_numbers(a.facts)
    items = [(r.id, r.statement, r.params, r.citations) for r in a.recommendations]
    if a.because is not None:
        items.append(("because", a.because.statement, a.because.params, a.because.citations))
    for rid, key, params, cites in items:
        text = render_statement(key, params)
        assert text.strip(), f"{rid}: statement {key} renders empty"
        if rid != "because" or a.decision != Decision.NA:
            assert cites, f"{rid}: no citation"
        allowed = set(allowed_facts)
        for c in cites:
            assert c in corpus.passages, f"{rid}: cites unknown passage {c}"
            allowed |= numbers(corpus.passages[c].text)
            year = corpus.reference_of(c).year
            if year is not None:
                allowed.add(float(year))
        stray = numbers(text) - allowed
        assert not stray, f"{rid} ({key}): numbers {sorted(stray)} not in cited passages or facts: {text}"


# -- a product of boundary cases ------------------------------------------------------------------
T_VALUES = [None, -0.9, -1.0, -1.01, -1.7, -2.0, -2.1, -2.49, -2.5, -3.0, -3.1, -3.6]
FRAX_VALUES = [
    None,
    Frax(major=11.0, hip=1.4),
    Frax(major=19.9, hip=2.9),
    Frax(major=20.0, hip=0.5),
    Frax(major=7.3),
    Frax(hip=3.0),
    Frax(major=30.1, hip=4.6),
]
PATIENTS = [
    {},
    {"age": 67, "sex": Sex.FEMALE, "menopause": Menopause.POST},
    {"age": 49, "sex": Sex.MALE},
    {"age": 50, "sex": Sex.MALE},
    {"age": 33, "sex": Sex.FEMALE, "menopause": Menopause.PRE, "z_scores": {Site.LUMBAR_SPINE: -2.1}},
    {"age": 64, "sex": Sex.FEMALE},
    {"age": 65, "sex": Sex.FEMALE},
]
EXTRAS = [
    {},
    {"prior_fragility_fracture": True, "fracture_sites": [FractureSite.VERTEBRAL]},
    {"prior_fragility_fracture": True, "fracture_sites": [FractureSite.WRIST]},
    {"prior_fragility_fracture": True},
    {"glucocorticoids": True, "glucocorticoid_dose_mg": 10.0, "egfr": 29.0},
    {"glucocorticoids": True, "glucocorticoid_dose_mg": 2.0, "t_scores": {Site.LUMBAR_SPINE: -3.2}},
    {"conditions": {"osteoporosis_stated": True}},
    {"conditions": {"osteopenia_stated": True, "type2_diabetes": True, "falls": True}},
    {"egfr": 30.0, "medications": [Medication(name="denosumab")]},
    {"conditions": {"dialysis": True, "recent_fracture": True}, "fracture_sites": [FractureSite.HIP]},
    # Situations with their own first step (issue 16).
    {"conditions": {"atypical_femur_fracture": True}, "medications": [Medication(name="alendronate", years=9.0)]},
    {"conditions": {"thigh_pain": True}, "medications": [Medication(name="alendronate", years=7.0)]},
    {"vitamin_d": 8.0, "conditions": {"hypocalcaemia": True, "high_alkaline_phosphatase": True}},
    {"conditions": {"aromatase_inhibitor": True, "smoking": True}},
    {"conditions": {"androgen_deprivation": True, "prostate_cancer": True}},
    {"conditions": {"hyperparathyroidism": True}, "calcium": 11.2, "egfr": 55.0},
    {"conditions": {"bariatric_surgery": True}},
    {"ckd_stage": 4},
    {"glucocorticoids": True, "glucocorticoid_dose_mg": 40.0},
    {"glucocorticoids": True, "glucocorticoid_dose_mg": 7.5, "glucocorticoid_months": 8.0},
    {"medications": [Medication(name="denosumab", months_since_last=10.0)]},
    {"medications": [Medication(name="denosumab", months_since_last=6.5)]},
    {"medications": [Medication(name="teriparatide", years=2.5)]},
    {"medications": [Medication(name="romosozumab", status=Status.HISTORICAL)]},
    {"mentions": [Mention(concept="fracture", category="fracture", span=Span(0, 5, "crash"), detail="traumatic")]},
    {"conditions": {"type2_diabetes": True}},
]


def _facts(t: float | None, frax: Frax | None, patient: dict, extra: dict) -> Facts:
    data: dict = {**patient, **extra}
    t_scores = dict(extra.get("t_scores", {}))
    if t is not None:
        t_scores[Site.FEMORAL_NECK] = t
    data["t_scores"] = t_scores
    data["frax"] = frax
    return Facts(**data)


def test_every_recommendation_is_grounded_over_a_product_of_cases() -> None:
    count = 0
    intents = [Intent.MANAGEMENT_OVERALL, Intent.DRUG_CHOICE, Intent.GLUCOCORTICOID]
    for t, frax, patient, extra in itertools.product(T_VALUES, FRAX_VALUES, PATIENTS, EXTRAS):
        f = _facts(t, frax, patient, extra)
        for intent in intents:
            check_grounded(assess(f, intent))
            count += 1
    assert count > 5000


def test_every_intent_is_grounded_for_the_seed_facts() -> None:
    f = Facts(t_scores={Site.TOTAL_HIP: -1.1, Site.FEMORAL_NECK: -1.7})
    for intent in Intent:
        check_grounded(assess(f, intent))


# -- random facts ----------------------------------------------------------------------------------
scores = st.one_of(st.none(), st.integers(-45, 15).map(lambda x: x / 10))
percent = st.one_of(st.none(), st.integers(0, 600).map(lambda x: x / 10))
facts_strategy = st.builds(
    Facts,
    age=st.one_of(st.none(), st.integers(18, 100)),
    sex=st.one_of(st.none(), st.sampled_from(Sex)),
    menopause=st.one_of(st.none(), st.sampled_from(Menopause)),
    t_scores=st.dictionaries(st.sampled_from(Site), st.integers(-45, 15).map(lambda x: x / 10), max_size=4),
    z_scores=st.dictionaries(st.sampled_from(Site), st.integers(-45, 15).map(lambda x: x / 10), max_size=2),
    t_score_unsited=scores,
    frax=st.one_of(st.none(), st.builds(Frax, major=percent, hip=percent)),
    prior_fragility_fracture=st.one_of(st.none(), st.booleans()),
    fracture_sites=st.lists(st.sampled_from(FractureSite), max_size=3, unique=True),
    glucocorticoids=st.one_of(st.none(), st.booleans()),
    glucocorticoid_dose_mg=st.one_of(st.none(), st.integers(1, 80).map(lambda x: x / 2)),
    egfr=st.one_of(st.none(), st.integers(5, 120).map(float)),
    weight_kg=st.one_of(st.none(), st.integers(35, 140).map(float)),
    conditions=st.dictionaries(
        st.sampled_from(
            [
                "osteoporosis_stated",
                "osteopenia_stated",
                "smoking",
                "falls",
                "type2_diabetes",
                "recent_fracture",
                "multiple_fractures",
                "dialysis",
                "parental_hip_fracture",
                "rheumatoid_arthritis",
                "fracture_on_therapy",
                "atypical_femur_fracture",
                "thigh_pain",
                "aromatase_inhibitor",
                "androgen_deprivation",
                "bariatric_surgery",
                "osteomalacia",
                "hyperparathyroidism",
                "hypocalcaemia",
                "high_alkaline_phosphatase",
            ]
        ),
        st.booleans(),
        max_size=4,
    ),
    medications=st.lists(
        st.builds(
            Medication,
            name=st.sampled_from(["alendronate", "denosumab", "zoledronic_acid", "teriparatide", "romosozumab"]),
            status=st.sampled_from([Status.AFFIRMED, Status.HISTORICAL]),
            years=st.one_of(st.none(), st.integers(1, 12).map(float)),
            months_since_last=st.one_of(st.none(), st.integers(1, 24).map(float)),
        ),
        max_size=2,
    ),
    ckd_stage=st.one_of(st.none(), st.integers(1, 5)),
    vitamin_d=st.one_of(st.none(), st.integers(4, 60).map(float)),
    calcium=st.one_of(st.none(), st.integers(75, 125).map(lambda x: x / 10)),
    glucocorticoid_months=st.one_of(st.none(), st.integers(0, 24).map(float)),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=facts_strategy, intent=st.sampled_from(Intent))
def test_random_facts_are_grounded(f: Facts, intent: Intent) -> None:
    check_grounded(assess(f, intent))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=facts_strategy)
def test_a_yes_decision_always_comes_with_the_calcium_and_vitamin_d_check(f: Facts) -> None:
    """Safety: never a 'yes' without calcium / vitamin D checked (engine B's universal and safety rules)."""
    for intent in (Intent.MANAGEMENT_OVERALL, Intent.TREAT_OR_NOT, Intent.DRUG_CHOICE):
        a = assess(f, intent)
        if a.decision != Decision.YES:
            continue
        texts = [
            render_statement(r.statement, r.params).lower()
            for r in a.recommendations
            if r.section in (Section.SAFETY, Section.WORKUP, Section.UNIVERSAL, Section.DRUGS)
        ]
        assert any("vitamin d" in t and "calcium" in t for t in texts), f"yes without vitamin D/calcium check: {f}"


def test_every_rule_cites_existing_passages() -> None:
    corpus = default_corpus()
    for r in all_rules():
        for c in r.cites:
            assert c in corpus.passages, f"rule {r.id} cites unknown passage {c}"


def test_number_extraction_sees_decimals_and_thousands() -> None:
    assert numbers("FRAX 11% vs 20%, hip 1.4% and 33,850 women") == {11.0, 20.0, 1.4, 33850.0}
