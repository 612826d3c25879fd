"""Vignettes for the situations a consultant must not miss (issue 16), in and out at their boundaries.
Facts are built directly; each asserts the decision, the statement that carries it and what is (not) offered."""

from __future__ import annotations

import pytest

from assistant.engine import Assessment, Decision, assess
from assistant.engine.knowledge.thresholds import threshold
from assistant.facts import Facts, FractureSite, Frax, Intent, Medication, Menopause, Sex, Site, Status
from assistant.render import build_answer
from assistant.statements import render_statement

FN, TH, LS, R33 = Site.FEMORAL_NECK, Site.TOTAL_HIP, Site.LUMBAR_SPINE, Site.FOREARM_33
ANTIRESORPTIVE_STARTS = {
    "drug-alendronate",
    "drug-risedronate",
    "drug-ibandronate",
    "drug-zoledronic-acid",
    "drug-denosumab",
    "drug-raloxifene",
}


def woman(age: int = 68, **kw: object) -> Facts:
    return Facts(age=age, sex=Sex.FEMALE, menopause=Menopause.POST, **kw)


def ids(a: Assessment) -> set[str]:
    return {r.id for r in a.recommendations}


def because(a: Assessment) -> str:
    assert a.because is not None
    return render_statement(a.because.statement, a.because.params)


def answer_text(a: Assessment) -> str:
    ans = build_answer("q", a)
    parts = [ans.because or ""] + [i.text for s in ans.sections for i in s.items]
    return "\n".join(parts)


# --- atypical femur fracture -----------------------------------------------------------------------


def test_established_aff_on_alendronate_stops_it_and_offers_no_antiresorptive() -> None:
    f = woman(
        72,
        t_scores={FN: -2.6},
        conditions={"atypical_femur_fracture": True},
        medications=[Medication(name="alendronate", years=9.0)],
    )
    a = assess(f, Intent.MANAGEMENT_OVERALL)
    assert a.decision == Decision.CONDITIONAL
    assert a.because is not None and a.because.statement == "sit-aff-because"
    assert "stop the alendronate" in because(a)
    assert not ids(a) & ANTIRESORPTIVE_STARTS
    assert "drug-current-alendronate" not in ids(a)  # no "take it correctly" advice
    text = answer_text(a)
    assert "other femur" in text and "denosumab is not a safe default switch" in text


def test_thigh_pain_on_7_years_of_alendronate_images_both_femurs_before_anything() -> None:
    f = woman(
        70,
        t_scores={FN: -2.2},
        conditions={"thigh_pain": True},
        medications=[Medication(name="alendronate", years=7.0)],
    )
    a = assess(f, Intent.DRUG_CHOICE)
    assert a.because is not None and a.because.statement == "sit-thigh-pain-because"
    assert "image both femurs" in because(a)
    assert not ids(a) & ANTIRESORPTIVE_STARTS


def test_thigh_pain_without_an_antiresorptive_is_not_the_aff_situation() -> None:
    a = assess(woman(70, t_scores={FN: -2.7}, conditions={"thigh_pain": True}))
    assert "sit-thigh-pain" not in ids(a)
    assert a.decision == Decision.YES


# --- aromatase inhibitors and androgen deprivation --------------------------------------------------


@pytest.mark.parametrize(
    ("t", "smoker", "treat"),
    [(-2.1, False, True), (-2.0, False, False), (-1.6, True, True), (-1.5, True, False), (-1.4, True, False)],
)
def test_aromatase_inhibitor_thresholds_at_their_boundaries(t: float, smoker: bool, treat: bool) -> None:
    f = woman(60, t_scores={FN: t}, conditions={"aromatase_inhibitor": True, "smoking": smoker})
    a = assess(f)
    assert "sit-cancer" in ids(a)
    if treat:
        assert a.decision == Decision.YES and a.because.statement == "sit-cancer-because"
    else:
        assert a.because is None or a.because.statement != "sit-cancer-because"


def test_no_raloxifene_with_anastrozole_even_when_asked_about_drugs() -> None:
    f = woman(66, t_scores={FN: -2.6}, conditions={"aromatase_inhibitor": True, "breast_cancer_risk": True})
    a = assess(f, Intent.DRUG_CHOICE)
    assert "drug-raloxifene" not in ids(a)
    assert "No raloxifene or other SERM" in answer_text(a)


def test_two_risk_factors_without_bmd_treat_on_an_aromatase_inhibitor() -> None:
    f = woman(70, conditions={"aromatase_inhibitor": True, "smoking": True})
    a = assess(f)
    assert a.decision == Decision.YES and "age over 65 and smoking" in because(a)


@pytest.mark.parametrize(("t", "treat"), [(-2.5, True), (-2.4, False)])
def test_androgen_deprivation_uses_the_asco_threshold(t: float, treat: bool) -> None:
    f = Facts(age=72, sex=Sex.MALE, t_scores={LS: t}, conditions={"androgen_deprivation": True})
    a = assess(f)
    assert (a.because is not None and a.because.statement == "sit-cancer-because") is treat


# --- glucocorticoids (ACR 2022 strata decide under the US default) --------------------------------


@pytest.mark.parametrize(
    ("dose", "stratum"), [(7.4, "moderate"), (7.5, "moderate"), (29.5, "moderate"), (30.0, "very high")]
)
def test_glucocorticoid_dose_boundaries(dose: float, stratum: str) -> None:
    f = woman(
        60,
        t_scores={FN: -1.6},
        frax=Frax(major=8.0, hip=0.9),
        glucocorticoids=True,
        glucocorticoid_dose_mg=dose,
        glucocorticoid_months=4.0,
    )
    a = assess(f, Intent.GLUCOCORTICOID)
    assert a.decision == Decision.YES
    assert f"at {stratum} risk" in because(a)


def test_prednisone_40_without_dxa_is_very_high_risk_and_asks_the_duration() -> None:
    a = assess(woman(55, glucocorticoids=True, glucocorticoid_dose_mg=40.0), Intent.GLUCOCORTICOID)
    assert a.decision == Decision.YES
    assert "very high risk" in because(a) and "duration was not given" in because(a)
    assert "glucocorticoid_months" in a.missing_facts


def test_prednisone_30_for_3_weeks_is_not_yet_very_high() -> None:
    f = woman(55, glucocorticoids=True, glucocorticoid_dose_mg=30.0, glucocorticoid_months=0.7)
    a = assess(f, Intent.GLUCOCORTICOID)
    assert a.because is None or "very high" not in because(a)


def test_headline_and_body_agree_on_the_stratum() -> None:
    """The issue's contradiction: 'not indicated' at the top, 'moderate risk, drug therapy offered' below."""
    f = woman(62, t_scores={FN: -1.8}, frax=Frax(major=12.0, hip=1.5), glucocorticoids=True, glucocorticoid_dose_mg=5.0)
    a = assess(f, Intent.GLUCOCORTICOID)
    assert a.decision == Decision.YES
    body = answer_text(a)
    assert "moderate risk" in because(a) and "moderate risk" in body


def test_low_acr_stratum_says_no_drug() -> None:
    f = woman(62, t_scores={FN: -0.8}, frax=Frax(major=6.0, hip=0.5), glucocorticoids=True, glucocorticoid_dose_mg=5.0)
    a = assess(f, Intent.GLUCOCORTICOID)
    assert a.decision == Decision.NO and "low risk" in because(a)


def test_other_profiles_keep_their_frax_thresholds_for_glucocorticoid_users() -> None:
    f = woman(62, t_scores={FN: -1.8}, frax=Frax(major=12.0, hip=1.5), glucocorticoids=True, glucocorticoid_dose_mg=5.0)
    a = assess(f, Intent.GLUCOCORTICOID, "aace")
    assert a.decision == Decision.NO and a.because.statement != "sit-gc-because"


def test_under_40_on_7_5_mg_for_6_months_with_low_z_is_moderate() -> None:
    f = Facts(
        age=35,
        sex=Sex.FEMALE,
        menopause=Menopause.PRE,
        z_scores={LS: -3.2},
        glucocorticoids=True,
        glucocorticoid_dose_mg=7.5,
        glucocorticoid_months=6.0,
    )
    a = assess(f, Intent.GLUCOCORTICOID)
    assert a.decision == Decision.YES and "moderate risk" in because(a)
    f74 = f.model_copy(update={"glucocorticoid_dose_mg": 7.4})
    a74 = assess(f74, Intent.GLUCOCORTICOID)
    assert a74.because is None or a74.because.statement != "sit-gc-because"


# --- dialysis and CKD G4-5 -------------------------------------------------------------------------


@pytest.mark.parametrize(("egfr", "advanced"), [(14.0, True), (15.0, True), (29.0, True), (30.0, False)])
def test_egfr_boundaries_of_ckd_g4_g5(egfr: float, advanced: bool) -> None:
    a = assess(woman(75, t_scores={TH: -2.8}, egfr=egfr), Intent.DRUG_CHOICE)
    assert ("sit-ckd" in ids(a)) is advanced
    bps = {"drug-alendronate", "drug-zoledronic-acid", "drug-risedronate"}
    if advanced:
        assert not ids(a) & bps and a.decision == Decision.YES  # the risk decides; the drug choice changes
    else:
        assert "drug-risedronate" in ids(a)


def test_dialysis_without_a_number_sets_kidney_function() -> None:
    f = Facts(age=70, sex=Sex.MALE, t_scores={TH: -2.8}, conditions={"dialysis": True})
    for intent in (Intent.MANAGEMENT_OVERALL, Intent.DRUG_CHOICE, Intent.RENAL_DOSING):
        a = assess(f, intent)
        text = answer_text(a)
        assert "not given" not in text, intent
        assert "sit-ckd" in ids(a) and "drug-zoledronic-acid" not in ids(a)
        assert "Zoledronic acid is the usual follow-on" not in text


def test_ckd_stage_4_stated_is_advanced() -> None:
    a = assess(woman(80, t_scores={FN: -2.6}, ckd_stage=4))
    assert "sit-ckd" in ids(a) and "CKD stage 4" in answer_text(a)
    assert "sit-ckd" not in ids(assess(woman(80, t_scores={FN: -2.6}, ckd_stage=3)))


# --- denosumab overdue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "rid"),
    [
        (5.0, None),
        (6.0, "sit-denosumab-due"),
        (7.0, "sit-denosumab-due"),
        (7.5, "sit-denosumab-overdue"),
        (10.0, "sit-denosumab-overdue"),
    ],
)
def test_denosumab_months_since_last_dose(months: float, rid: str | None) -> None:
    f = woman(70, t_scores={FN: -2.6}, medications=[Medication(name="denosumab", months_since_last=months)])
    a = assess(f, Intent.DENOSUMAB_STOP)
    got = ids(a) & {"sit-denosumab-due", "sit-denosumab-overdue"}
    assert got == ({rid} if rid else set())
    if rid == "sit-denosumab-overdue":
        text = answer_text(a)
        assert "due now and should not wait" in text and "vertebral fractures" in text and "why it was delayed" in text


def test_the_overdue_threshold_is_the_delay_definition() -> None:
    assert threshold("denosumab-delayed-months").value == 7
    assert threshold("denosumab-delayed-months").passage == "lyu-2020#delayed-denosumab"


# --- very high risk beyond the T-score ----------------------------------------------------------------


@pytest.mark.parametrize("cond", ["recent_fracture", "fracture_on_therapy", "multiple_fractures"])
def test_very_high_risk_conditions_without_a_very_low_t_score(cond: str) -> None:
    f = woman(
        70,
        t_scores={FN: -2.2},
        prior_fragility_fracture=True,
        fracture_sites=[FractureSite.VERTEBRAL],
        conditions={cond: True},
    )
    a = assess(f)
    assert a.decision == Decision.YES and a.very_high_risk is True


# --- primary hyperparathyroidism ---------------------------------------------------------------------


def test_phpt_with_calcium_11_2_checks_the_surgery_criteria() -> None:
    f = woman(58, t_scores={R33: -2.7, FN: -1.9}, calcium=11.2, conditions={"hyperparathyroidism": True})
    a = assess(f)
    text = answer_text(a)
    assert "sit-phpt" in ids(a)
    assert "11.2 mg/dL" in text and "T-score -2.7" in text and "endocrine surgeon" in text


def test_phpt_criteria_age_49_and_egfr_59_are_met_50_and_60_are_not() -> None:
    from assistant.engine.knowledge.situations import phpt_met

    assert {"age 49", "eGFR 59"} <= set(phpt_met(woman(49, egfr=59.0, conditions={"hyperparathyroidism": True})))
    assert not phpt_met(woman(50, egfr=60.0, conditions={"hyperparathyroidism": True}))


# --- osteomalacia before zoledronic acid ---------------------------------------------------------------


def test_osteomalacia_pattern_before_zoledronic_acid_says_not_yet() -> None:
    f = woman(
        74, t_scores={FN: -2.9}, vitamin_d=8.0, conditions={"hypocalcaemia": True, "high_alkaline_phosphatase": True}
    )
    a = assess(f, Intent.DRUG_CHOICE)
    assert a.because.statement == "sit-osteomalacia-because" and because(a).startswith("Not yet")
    assert not ids(a) & ANTIRESORPTIVE_STARTS


@pytest.mark.parametrize(("vit_d", "pattern"), [(11.9, True), (12.0, False)])
def test_vitamin_d_boundary_of_the_pattern(vit_d: float, pattern: bool) -> None:
    f = woman(74, t_scores={FN: -2.9}, vitamin_d=vit_d, conditions={"high_alkaline_phosphatase": True})
    assert ("sit-osteomalacia" in ids(assess(f))) is pattern


# --- bariatric surgery ------------------------------------------------------------------------------


def test_after_gastric_bypass_no_oral_bisphosphonate_zoledronic_acid_instead() -> None:
    f = woman(65, t_scores={LS: -2.7}, egfr=80.0, conditions={"bariatric_surgery": True})
    a = assess(f, Intent.DRUG_CHOICE)
    assert not ids(a) & {"drug-alendronate", "drug-risedronate", "drug-ibandronate"}
    assert "drug-zoledronic-acid" in ids(a) and "sit-bariatric" in ids(a)


# --- anabolic questions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("years", "shown"), [(1.5, False), (2.0, True), (3.0, True)])
def test_teriparatide_beyond_two_years(years: float, shown: bool) -> None:
    f = woman(70, t_scores={FN: -3.2}, medications=[Medication(name="teriparatide", years=years)])
    assert ("sit-pth-beyond-2-years" in ids(assess(f, Intent.DRUG_HOLIDAY_OR_DURATION))) is shown


def test_after_romosozumab_an_antiresorptive_follows() -> None:
    f = woman(70, t_scores={FN: -3.2}, medications=[Medication(name="romosozumab", status=Status.HISTORICAL)])
    a = assess(f, Intent.DRUG_CHOICE)
    assert "sit-after-romosozumab" in ids(a)
    assert "48%" in answer_text(a)


# --- type 2 diabetes: FRAX underestimates risk, so the unadjusted "no" is not given ----------------------------


@pytest.mark.parametrize(
    ("t2d", "frax", "decision"),
    [
        (True, Frax(major=14.0, hip=2.1), Decision.CONDITIONAL),
        (False, Frax(major=14.0, hip=2.1), Decision.NO),
        (True, Frax(major=20.0, hip=2.1), Decision.YES),
        (True, Frax(major=19.9, hip=2.9), Decision.CONDITIONAL),
        (True, Frax(major=10.0, hip=3.0), Decision.YES),
    ],
)
def test_type2_diabetes_at_the_frax_thresholds(t2d: bool, frax: Frax, decision: Decision) -> None:
    f = woman(66, t_scores={FN: -1.9}, frax=frax, conditions={"type2_diabetes": t2d})
    a = assess(f, Intent.TREAT_OR_NOT)
    assert a.decision == decision
    if decision == Decision.CONDITIONAL:
        assert "underestimates" in because(a) and "0.5 lower" in because(a)


# --- where guidelines differ, the profile decides and the comparison shows both -----------------------------


def test_aromatase_inhibitor_guidance_decides_under_us_and_the_comparison_shows_the_others() -> None:
    from assistant.engine.compare import compare

    f = woman(60, t_scores={FN: -2.1}, frax=Frax(major=9.0, hip=1.0), conditions={"aromatase_inhibitor": True})
    assert assess(f, Intent.TREAT_OR_NOT, "us").decision == Decision.YES
    aace = assess(f, Intent.TREAT_OR_NOT, "aace")
    assert aace.decision == Decision.NO and "sit-cancer" in ids(aace)  # the situation is still named
    decisions = compare(f).decisions
    assert decisions["us"] == "yes" and decisions["aace"] == "no"


def test_glucocorticoid_strata_decide_under_us_and_the_comparison_shows_the_others() -> None:
    from assistant.engine.compare import compare

    f = woman(62, t_scores={FN: -1.8}, frax=Frax(major=12.0, hip=1.5), glucocorticoids=True,
              glucocorticoid_dose_mg=5.0)
    decisions = compare(f).decisions
    assert decisions["us"] == "yes" and decisions["aace"] == "no"


# --- traumatic fractures ----------------------------------------------------------------------------------


def _traumatic(age: int) -> Facts:
    from assistant.facts import Mention, Span

    span = Span(0, 5, "crash")
    return woman(age, t_scores={FN: -1.6}, mentions=[Mention(concept="fracture", category="fracture", span=span,
                                                             detail="traumatic")])


@pytest.mark.parametrize(("age", "older"), [(49, False), (50, True)])
def test_a_traumatic_fracture_is_said_not_counted(age: int, older: bool) -> None:
    a = assess(_traumatic(age))
    assert a.facts.prior_fragility_fracture is None and a.decision != Decision.YES
    text = answer_text(a)
    assert "not counted as a fragility fracture" in text
    assert ("can signal fragile bone" in text) is older
