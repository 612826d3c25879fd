from __future__ import annotations

from assistant.engine.model import Assessment, Decision, Section
from assistant.facts import Facts, FractureSite, Intent, Medication, Site
from tests.engine.topic_helpers import cites, ids, rec, run_b, texts


def on(drug: str, years: float | None, **kw: object) -> Assessment:
    f = Facts(medications=[Medication(name=drug, years=years)], **kw)  # type: ignore[arg-type]
    return run_b(f, Decision.NA, Intent.DRUG_HOLIDAY_OR_DURATION)


HIGH_HIP = {Site.TOTAL_HIP: -2.6}
LOW_RISK = {"t_scores": {Site.TOTAL_HIP: -2.0}, "prior_fragility_fracture": False}


def verdict(a: Assessment) -> str:
    return rec(a, "duration-bisphosphonate-review").statement


def test_alendronate_4_9_years_continue_until_the_5_year_review() -> None:
    a = on("alendronate", 4.9, **LOW_RISK)
    assert verdict(a) == "duration-before-review"
    assert "after 5 years of oral" in texts(a)["duration-bisphosphonate-review"]
    assert "duration-endocrine-variant" not in ids(a)


def test_alendronate_5_years_low_risk_consider_2_to_3_year_holiday() -> None:
    a = on("alendronate", 5, **LOW_RISK)
    assert verdict(a) == "duration-holiday"
    assert "drug holiday of 2 to 3 years" in texts(a)["duration-bisphosphonate-review"]
    assert cites(a, "duration-bisphosphonate-review") == ["asbmr-2016#reassess"]
    assert "up to 5 years" in texts(a)["duration-endocrine-variant"]


def test_alendronate_5_years_hip_t_minus_2_6_continue_up_to_10() -> None:
    a = on("alendronate", 5, t_scores=HIGH_HIP, prior_fragility_fracture=False)
    assert verdict(a) == "duration-continue"
    t = texts(a)["duration-bisphosphonate-review"]
    assert "-2.6" in t and "up to 10 years" in t and "no drug holiday" in t


def test_hip_t_exactly_minus_2_5_still_counts_as_high_risk() -> None:
    a = on("alendronate", 6, t_scores={Site.FEMORAL_NECK: -2.5}, prior_fragility_fracture=False)
    assert verdict(a) == "duration-continue"


def test_vertebral_fracture_means_continue() -> None:
    a = on("risedronate", 5, t_scores={Site.TOTAL_HIP: -1.8}, fracture_sites=[FractureSite.VERTEBRAL])
    assert "hip or vertebral fracture" in texts(a)["duration-bisphosphonate-review"]


def test_fracture_on_therapy_means_continue() -> None:
    a = on("alendronate", 7, conditions={"fracture_on_therapy": True}, **LOW_RISK)
    assert verdict(a) == "duration-continue"


def test_alendronate_10_years_high_risk_is_beyond_the_studied_duration() -> None:
    a = on("alendronate", 10, t_scores=HIGH_HIP)
    assert verdict(a) == "duration-beyond"
    assert "asbmr-2016#aff-risk" in cites(a, "duration-bisphosphonate-review")


def test_alendronate_5_years_without_hip_score_or_fracture_history_asks_for_them() -> None:
    a = on("alendronate", 5)
    assert verdict(a) == "duration-unknown"
    assert {"t_scores", "prior_fragility_fracture"} <= set(a.missing_facts)
    assert "hip T-score and the fracture history" in texts(a)["duration-bisphosphonate-review"]


def test_zoledronic_acid_2_9_years_before_the_3_year_review() -> None:
    a = on("zoledronic_acid", 2.9, **LOW_RISK)
    assert verdict(a) == "duration-before-review"
    assert "after 3 years of intravenous" in texts(a)["duration-bisphosphonate-review"]


def test_zoledronic_acid_3_years_low_risk_holiday() -> None:
    assert verdict(on("zoledronic_acid", 3, **LOW_RISK)) == "duration-holiday"


def test_zoledronic_acid_3_years_high_risk_continue_up_to_6() -> None:
    a = on("zoledronic_acid", 3, t_scores=HIGH_HIP)
    assert "up to 6 years of intravenous" in texts(a)["duration-bisphosphonate-review"]


def test_years_not_given_asks_how_long() -> None:
    a = on("alendronate", None)
    assert verdict(a) == "duration-years-unknown" and "medications" in a.missing_facts


def test_no_holiday_from_denosumab() -> None:
    a = on("denosumab", 4)
    t = texts(a)["duration-denosumab-no-holiday"]
    assert "No drug holiday from denosumab" in t and "5 to 10 years" in t and "6 months" in t
    assert "duration-bisphosphonate-review" not in ids(a)


def test_teriparatide_course_is_up_to_2_years_then_antiresorptive() -> None:
    a = on("teriparatide", 1)
    assert "up to 2 years" in texts(a)["duration-teriparatide"]


def test_romosozumab_course_is_12_doses() -> None:
    assert "12 monthly doses" in texts(on("romosozumab", None))["duration-romosozumab"]


def test_new_bisphosphonate_start_plans_the_review() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}, egfr=60), Decision.YES)
    t = texts(a)["duration-plan"]
    assert "after 5 years of an oral or 3 years of an intravenous" in t


def test_no_duration_advice_without_a_drug_or_a_question() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -1.3}), Decision.NO)
    assert not any(r.section == Section.DURATION for r in a.recommendations)
