from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.corpus import default_corpus
from assistant.engine.model import Assessment, Decision, Section, Urgency
from assistant.facts import Facts, Intent, Medication, Sex, Site, Status
from assistant.statements import num, render_statement
from tests.engine.topic_helpers import cites, ids, rec, run_b, texts

DECISIONS = [Decision.YES, Decision.CONDITIONAL, Decision.NO, Decision.NA]
INTENTS = [Intent.MANAGEMENT_OVERALL, Intent.DRUG_CHOICE, Intent.RENAL_DOSING, Intent.DENOSUMAB_STOP, Intent.DOSE]
DRUG_NAMES = ["alendronate", "risedronate", "zoledronic_acid", "denosumab", "romosozumab", "teriparatide"]

facts_strategy = st.builds(
    lambda egfr, sex, age, vit_d, conds, med, status, years, vhr_t: Facts(
        age=age,
        sex=sex,
        egfr=egfr,
        vitamin_d=vit_d,
        t_scores={Site.FEMORAL_NECK: vhr_t},
        conditions=conds,
        medications=[] if med is None else [Medication(name=med, status=status, years=years)],
    ),
    egfr=st.one_of(st.none(), st.integers(5, 60).map(float), st.floats(5, 60, allow_nan=False)),
    sex=st.sampled_from([None, Sex.FEMALE, Sex.MALE]),
    age=st.one_of(st.none(), st.integers(19, 95)),
    vit_d=st.one_of(st.none(), st.floats(4, 80, allow_nan=False)),
    conds=st.dictionaries(
        st.sampled_from(
            [
                "recent_mi_or_stroke",
                "mi_or_stroke_history",
                "oesophageal_disorder",
                "cannot_stay_upright",
                "hypocalcaemia",
                "invasive_dental_work",
                "thigh_pain",
                "dialysis",
                "vte_history",
                "breast_cancer_risk",
            ]
        ),
        st.booleans(),
    ),
    med=st.one_of(st.none(), st.sampled_from(DRUG_NAMES)),
    status=st.sampled_from([Status.AFFIRMED, Status.HISTORICAL]),
    years=st.one_of(st.none(), st.sampled_from([1.0, 3.0, 5.0, 10.0])),
    vhr_t=st.sampled_from([-1.7, -2.6, -3.4]),
)


def all_text(a: Assessment) -> str:
    return "\n".join(texts(a).values())


def starts(a: Assessment) -> set[str]:
    """Drugs offered as a new start (drugs-section recommendation ids 'drug-<name>')."""
    return {r.id for r in a.recommendations if r.section == Section.DRUGS and r.id.startswith("drug-")}


# --- Invariant 1: never an oral bisphosphonate or zoledronic acid below its kidney cut-off -----------------


@settings(max_examples=300, deadline=None)
@given(
    f=facts_strategy,
    decision=st.sampled_from(DECISIONS),
    intent=st.sampled_from(INTENTS),
    vhr=st.sampled_from([None, True]),
)
def test_never_offers_a_bisphosphonate_below_its_renal_cutoff(
    f: Facts, decision: Decision, intent: Intent, vhr: bool | None
) -> None:
    a = run_b(f, decision, intent, very_high_risk=vhr)
    text = all_text(a)
    if f.egfr is not None and f.egfr < 35:
        assert not starts(a) & {"drug-alendronate", "drug-zoledronic-acid"}
        assert "alendronate 70 mg" not in text and "Zoledronic acid 5 mg" not in text
        if starts(a) or f.current_drugs():
            assert "safety-renal-no-alendronate-zoledronic" in ids(a)
    if f.egfr is not None and f.egfr < 30:
        assert not starts(a) & {"drug-risedronate", "drug-ibandronate"}
        assert "risedronate 35 mg" not in text.lower()


def test_renal_boundaries_29_30_34_35_for_every_decision_and_intent() -> None:
    expected = {
        29: set(),
        30: {"drug-risedronate"},
        34: {"drug-risedronate"},
        35: {"drug-alendronate", "drug-risedronate", "drug-zoledronic-acid"},
    }
    for (egfr, allowed), decision, intent in itertools.product(
        expected.items(), [Decision.YES, Decision.CONDITIONAL], INTENTS
    ):
        a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=egfr), decision, intent)
        bps = starts(a) & {"drug-alendronate", "drug-risedronate", "drug-zoledronic-acid"}
        assert bps == allowed, (egfr, decision, intent)
        assert "drug-denosumab" in starts(a)


def test_egfr_34_safety_says_do_not_start_alendronate_or_zoledronic_acid() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=34), Decision.YES)
    r = rec(a, "safety-renal-no-alendronate-zoledronic")
    assert r.urgency == Urgency.CRITICAL
    assert set(r.citations) == {"label-alendronate#dosing", "label-zoledronic-acid#dosing"}
    assert "Do not start alendronate or zoledronic acid" in texts(a)[r.id]
    assert "safety-renal-no-oral-bisphosphonate" not in ids(a)


def test_egfr_29_safety_adds_no_oral_bisphosphonate_and_ckd_mbd() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=29), Decision.YES)
    assert "CKD mineral and bone disorder" in texts(a)["safety-renal-no-oral-bisphosphonate"]
    assert "kdigo-2017#ckd-bone" in cites(a, "safety-renal-no-oral-bisphosphonate")


def test_current_zoledronic_acid_below_cutoff_is_flagged() -> None:
    f = Facts(egfr=33, medications=[Medication(name="zoledronic_acid", years=1)])
    a = run_b(f, Decision.NA)
    assert rec(a, "safety-renal-current-zoledronic-acid").urgency == Urgency.CRITICAL


# --- Invariant 2: never "stop denosumab" without the follow-on --------------------------------------------


@settings(max_examples=200, deadline=None)
@given(f=facts_strategy, decision=st.sampled_from(DECISIONS), intent=st.sampled_from(INTENTS))
def test_denosumab_always_comes_with_its_follow_on(f: Facts, decision: Decision, intent: Intent) -> None:
    a = run_b(f, decision, intent)
    mentions = "denosumab" in all_text(a).lower() and (
        "drug-denosumab" in starts(a) or any(m.name == "denosumab" for m in f.medications)
    )
    if mentions or intent == Intent.DENOSUMAB_STOP:
        assert "safety-denosumab-follow-on" in ids(a)
        text = texts(a)["safety-denosumab-follow-on"]
        assert "bisphosphonate" in text and "6 months" in text
        if f.egfr is not None and f.egfr < 35:
            assert "Zoledronic acid is the usual follow-on" not in text and "specialist" in text
    for t in texts(a).values():
        assert "stop denosumab" not in t.lower()


def test_stopped_denosumab_is_critical_with_rebound_numbers() -> None:
    f = Facts(egfr=60, medications=[Medication(name="denosumab", status=Status.HISTORICAL)])
    a = run_b(f, Decision.NA, Intent.DENOSUMAB_STOP)
    r = rec(a, "safety-denosumab-follow-on")
    assert r.urgency == Urgency.CRITICAL
    t = texts(a)[r.id]
    assert "or now if that time has passed" in t and "1.2 to 7.1 per 100" in t and "60.7%" in t
    assert {"tsourdi-2021#denosumab-discontinuation", "cummings-2018#rebound-fractures"} <= set(r.citations)


def test_stopped_denosumab_with_its_follow_on_is_a_warning_not_critical() -> None:
    f = Facts(
        egfr=60,
        medications=[
            Medication(name="denosumab", status=Status.HISTORICAL),
            Medication(name="alendronate", status=Status.AFFIRMED),
        ],
    )
    a = run_b(f, Decision.NA, Intent.DENOSUMAB_STOP)
    assert rec(a, "safety-denosumab-follow-on").urgency == Urgency.WARNING


def test_denosumab_offered_brings_the_follow_on_warning() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=60), Decision.YES)
    assert "drug-denosumab" in starts(a)
    assert rec(a, "safety-denosumab-follow-on").urgency == Urgency.WARNING


# --- Invariant 3: never romosozumab after a recent MI or stroke -------------------------------------------


@settings(max_examples=200, deadline=None)
@given(f=facts_strategy, decision=st.sampled_from(DECISIONS), intent=st.sampled_from(INTENTS))
def test_never_romosozumab_after_recent_mi_or_stroke(f: Facts, decision: Decision, intent: Intent) -> None:
    a = run_b(f, decision, intent, very_high_risk=True)
    if f.has("recent_mi_or_stroke"):
        assert "drug-romosozumab" not in starts(a)
        assert "210 mg" not in all_text(a)
        if starts(a):
            assert "safety-no-romosozumab" in ids(a)


def test_on_romosozumab_with_recent_mi_is_told_to_stop_it() -> None:
    f = Facts(conditions={"recent_mi_or_stroke": True}, medications=[Medication(name="romosozumab")])
    a = run_b(f, Decision.NA)
    assert "stop the current romosozumab" in texts(a)["safety-no-romosozumab"]


# --- Invariant 4: never a drug without the calcium / vitamin D check --------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    f=facts_strategy,
    decision=st.sampled_from(DECISIONS),
    intent=st.sampled_from(INTENTS),
    vhr=st.sampled_from([None, True]),
)
def test_every_drug_start_comes_with_the_calcium_vitamin_d_check(
    f: Facts, decision: Decision, intent: Intent, vhr: bool | None
) -> None:
    a = run_b(f, decision, intent, very_high_risk=vhr)
    if starts(a):
        assert "safety-calcium-vitamin-d-first" in ids(a)
        r = rec(a, "safety-calcium-vitamin-d-first")
        if (f.vitamin_d is not None and f.vitamin_d < 20) or f.has("hypocalcaemia"):
            assert r.urgency == Urgency.CRITICAL


def test_vitamin_d_15_must_be_repleted_before_a_drug() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=60, vitamin_d=15), Decision.YES)
    t = texts(a)["safety-calcium-vitamin-d-first"]
    assert "15 ng/mL is deficient" in t and "not a label condition" in t


def test_vitamin_d_unknown_is_asked_for_when_drugs_are_discussed() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=60), Decision.YES)
    assert "vitamin_d" in a.missing_facts


# --- Jaw and femur ---------------------------------------------------------------------------------------


def test_planned_dental_work_before_antiresorptive_is_a_warning() -> None:
    f = Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=60, conditions={"invasive_dental_work": True})
    a = run_b(f, Decision.YES)
    r = rec(a, "safety-dental-onj")
    assert r.urgency == Urgency.WARNING and "before starting" in texts(a)[r.id]


def test_no_dental_advice_when_no_drug_is_on_the_table() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -1.3}), Decision.NO)
    assert "safety-dental-onj" not in ids(a)


def test_thigh_pain_on_alendronate_needs_femur_imaging() -> None:
    f = Facts(conditions={"thigh_pain": True}, medications=[Medication(name="alendronate", years=6)])
    a = run_b(f, Decision.NA)
    r = rec(a, "safety-atypical-femur-fracture")
    assert r.urgency == Urgency.CRITICAL and "imaging of the femur" in texts(a)[r.id]


# --- Grounding: every number printed comes from a cited passage or from the facts ------------------------

_NUM = re.compile(r"\d+(?:\.\d+)?")


def _fact_numbers(value: object) -> set[str]:
    """Numbers in the facts, as the statements print them (through the `num` filter)."""
    if isinstance(value, dict):
        return set().union(*(_fact_numbers(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_fact_numbers(v) for v in value)) if value else set()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _numbers(num(value)) | _numbers(str(value))
    return set()


def _numbers(text: str) -> set[str]:
    return {n.rstrip("0").rstrip(".") if "." in n else n for n in _NUM.findall(text)}


@settings(max_examples=200, deadline=None)
@given(
    f=facts_strategy,
    decision=st.sampled_from(DECISIONS),
    intent=st.sampled_from(INTENTS + [Intent.DRUG_HOLIDAY_OR_DURATION, Intent.MONITORING_INTERVAL]),
    vhr=st.sampled_from([None, True]),
)
def test_every_number_is_in_a_cited_passage_or_the_facts(
    f: Facts, decision: Decision, intent: Intent, vhr: bool | None
) -> None:
    a = run_b(f, decision, intent, very_high_risk=vhr)
    passages = default_corpus().passages
    fact_numbers = _fact_numbers(f.contract_dict())
    for r in a.recommendations:
        text = render_statement(r.statement, r.params)
        cited = _numbers(" ".join(passages[c].text for c in r.citations))
        stray = _numbers(text) - cited - fact_numbers
        assert not stray, (r.id, stray, text)


# --- Issue 16: the situations' safety invariants, as properties over generated facts ------------------------
# Whatever the other facts, the decision forced by engine A and the question: never an oral bisphosphonate after
# gastric bypass, never a SERM with an aromatase inhibitor, never an antiresorptive advised while an established
# AFF is unaddressed, never an antiresorptive started on an osteomalacia pattern, never "kidney function not
# given" when dialysis is stated. Checked on engine B alone (run_b) and on whole assessments.

ANTIRESORPTIVE_STARTS = {
    "drug-alendronate",
    "drug-risedronate",
    "drug-ibandronate",
    "drug-zoledronic-acid",
    "drug-denosumab",
    "drug-raloxifene",
}
ORAL_BP_STARTS = {"drug-alendronate", "drug-risedronate", "drug-ibandronate"}
SITUATION_CONDITIONS = [
    "atypical_femur_fracture",
    "thigh_pain",
    "aromatase_inhibitor",
    "bariatric_surgery",
    "osteomalacia",
    "hypocalcaemia",
    "high_alkaline_phosphatase",
    "dialysis",
    "breast_cancer_risk",
    "oesophageal_disorder",
    "vte_history",
]

situation_facts = st.builds(
    lambda egfr, sex, age, vit_d, conds, med, status, t, stage: Facts(
        age=age,
        sex=sex,
        egfr=egfr,
        vitamin_d=vit_d,
        ckd_stage=stage,
        t_scores={Site.FEMORAL_NECK: t},
        conditions=conds,
        medications=[] if med is None else [Medication(name=med, status=status, years=7.0)],
    ),
    egfr=st.one_of(st.none(), st.integers(5, 120).map(float)),
    sex=st.sampled_from([None, Sex.FEMALE, Sex.MALE]),
    age=st.one_of(st.none(), st.integers(30, 95)),
    vit_d=st.one_of(st.none(), st.integers(4, 60).map(float)),
    conds=st.dictionaries(st.sampled_from(SITUATION_CONDITIONS), st.booleans()),
    med=st.one_of(st.none(), st.sampled_from(["alendronate", "zoledronic_acid", "denosumab", "raloxifene"])),
    status=st.sampled_from([Status.AFFIRMED, Status.HISTORICAL]),
    t=st.sampled_from([-1.7, -2.6, -3.4]),
    stage=st.one_of(st.none(), st.integers(1, 5)),
)
ALL_INTENTS = [
    Intent.MANAGEMENT_OVERALL,
    Intent.TREAT_OR_NOT,
    Intent.DRUG_CHOICE,
    Intent.DOSE,
    Intent.RENAL_DOSING,
    Intent.DENOSUMAB_STOP,
    Intent.DRUG_HOLIDAY_OR_DURATION,
    Intent.COMPARE,
]


def _assessments(f: Facts, decision: Decision, intent: Intent) -> list[Assessment]:
    from assistant.engine import assess

    return [run_b(f, decision, intent), assess(f, intent), assess(f, intent, "aace")]


def _osteomalacia(f: Facts) -> bool:
    from assistant.engine.knowledge.situations import osteomalacia_pattern

    return bool(osteomalacia_pattern(f))


@settings(max_examples=300, deadline=None)
@given(f=situation_facts, decision=st.sampled_from(DECISIONS), intent=st.sampled_from(ALL_INTENTS))
def test_situation_safety_invariants(f: Facts, decision: Decision, intent: Intent) -> None:
    for a in _assessments(f, decision, intent):
        got = starts(a)
        text = all_text(a)
        if f.has("bariatric_surgery"):
            assert not got & ORAL_BP_STARTS, got
            assert "alendronate 70 mg" not in text and "risedronate 35 mg" not in text.lower()
        if f.has("aromatase_inhibitor"):
            assert "drug-raloxifene" not in got
            assert "raloxifene 60 mg" not in text.lower()
        if f.has("atypical_femur_fracture"):
            assert not got & ANTIRESORPTIVE_STARTS, got
            assert not {r.id for r in a.recommendations} & {f"drug-current-{d}" for d in ("alendronate", "denosumab")}
        if _osteomalacia(f):
            assert not got & ANTIRESORPTIVE_STARTS, got
        if f.has("dialysis"):
            assert not re.search(r"kidney function[^.]*not given", text), text
            assert "safety-renal-check" not in ids(a)
            assert "egfr" not in a.missing_facts


@settings(max_examples=200, deadline=None)
@given(f=situation_facts, intent=st.sampled_from(ALL_INTENTS))
def test_an_established_aff_is_always_addressed_in_a_whole_answer(f: Facts, intent: Intent) -> None:
    from assistant.engine import assess

    a = assess(f, intent)
    if f.has("atypical_femur_fracture") and a.in_scope:
        assert "sit-aff" in ids(a)
        aff = rec(a, "sit-aff")
        assert aff.urgency == Urgency.CRITICAL
