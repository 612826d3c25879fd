"""Special groups and scope: men, under-50s, 65+ with advanced osteopenia, glucocorticoid users (ACR 2022),
CKD with eGFR below 30, evidence and pitfalls sections, and out-of-scope questions."""

from __future__ import annotations

import pytest

from assistant.engine import Assessment, Decision, Section, assess
from assistant.engine.knowledge.glucocorticoids import acr_stratum
from assistant.facts import Facts, Frax, Intent, Medication, Menopause, Sex, Site
from assistant.statements import render_statement

FN, LS = Site.FEMORAL_NECK, Site.LUMBAR_SPINE


def run(intent: Intent = Intent.MANAGEMENT_OVERALL, **facts: object) -> Assessment:
    return assess(Facts(**facts), intent)


def rec_text(a: Assessment, rec_id: str) -> str | None:
    for r in a.recommendations:
        if r.id == rec_id:
            return render_statement(r.statement, r.params)
    return None


def cites_of(a: Assessment, rule_id: str) -> list[str]:
    return next(s.cites for s in a.trace if s.rule == rule_id)


# -- men ------------------------------------------------------------------------------------------
def test_man_aged_50_hears_the_same_thresholds_and_testosterone() -> None:
    a = run(age=50, sex=Sex.MALE, t_scores={FN: -1.6})
    text = rec_text(a, "special-men")
    assert text and "50" in text and "testosterone" in text
    assert "endo-men-2012#men-thresholds" in cites_of(a, "special-men")
    assert a.decision == Decision.CONDITIONAL


def test_man_aged_49_gets_the_under_50_note_not_the_men_note() -> None:
    a = run(age=49, sex=Sex.MALE, z_scores={FN: -1.2})
    assert rec_text(a, "special-men") is None
    assert "Z-scores" in (rec_text(a, "special-under-50") or "")


def test_woman_gets_no_men_note() -> None:
    assert rec_text(run(age=60, sex=Sex.FEMALE, t_scores={FN: -1.6}), "special-men") is None


def test_unknown_sex_and_age_gets_the_general_notes_like_the_seed() -> None:
    a = run(t_scores={Site.TOTAL_HIP: -1.1, FN: -1.7})
    assert rec_text(a, "special-men") and rec_text(a, "special-under-50") and rec_text(a, "special-65-plus")


# -- 65+ with T below -2.0 ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("age", "t", "shown"),
    [
        pytest.param(65, -2.1, True, id="older-in-age-65-t-minus-2.1"),
        pytest.param(64, -2.1, False, id="older-out-age-64"),
        pytest.param(70, -2.0, False, id="older-out-t-minus-2.0"),
        pytest.param(80, -2.4, True, id="older-in-age-80-t-minus-2.4"),
    ],
)
def test_65_plus_with_advanced_osteopenia(age: int, t: float, shown: bool) -> None:
    a = run(age=age, sex=Sex.FEMALE, menopause=Menopause.POST, t_scores={FN: t})
    text = rec_text(a, "special-65-plus")
    assert (text is not None) == shown
    if shown:
        assert str(age) in text and str(t) in text
        assert "reid-2018#zoledronate-osteopenia" in cites_of(a, "special-older-advanced-osteopenia")


# -- glucocorticoids (ACR 2022) -------------------------------------------------------------------
def test_glucocorticoid_user_under_40_gets_dxa_with_vertebral_imaging_not_frax() -> None:
    a = run(age=35, sex=Sex.FEMALE, menopause=Menopause.PRE, glucocorticoids=True, glucocorticoid_dose_mg=10)
    text = rec_text(a, "special-gc-assessment")
    assert text and "under 40" in text and "FRAX is not validated" in text
    assert rec_text(a, "special-gc-stratum") is None
    assert "acr-2022#assessment" in cites_of(a, "special-glucocorticoids-acr")


def test_glucocorticoid_user_from_40_gets_adjusted_frax() -> None:
    a = run(age=40, glucocorticoids=True, glucocorticoid_dose_mg=5)
    assert "glucocorticoid-adjusted FRAX" in (rec_text(a, "special-gc-assessment") or "")


@pytest.mark.parametrize(
    ("facts", "stratum"),
    [
        pytest.param({"t_scores": {FN: -1.5}, "frax": Frax(major=12.0, hip=0.8)}, "moderate", id="acr-moderate"),
        pytest.param({"t_scores": {FN: -1.5}, "frax": Frax(major=21.0, hip=0.8)}, "high", id="acr-high-major-21"),
        pytest.param({"t_scores": {FN: -3.5}}, "very high", id="acr-very-high-t-minus-3.5"),
        pytest.param({"t_scores": {FN: -3.4}}, "high", id="acr-high-t-minus-3.4"),
        pytest.param({"glucocorticoid_dose_mg": 30.0, "t_scores": {FN: -0.5}}, "very high", id="acr-very-high-dose-30"),
        pytest.param({"t_scores": {FN: -0.5}, "frax": Frax(major=9.0, hip=1.0)}, "low", id="acr-low"),
        pytest.param({"frax": Frax(major=9.0)}, None, id="acr-unknown-when-low-not-established"),
    ],
)
def test_acr_2022_strata(facts: dict, stratum: str | None) -> None:
    f = Facts(age=60, glucocorticoids=True, **facts)
    assert acr_stratum(f) == stratum
    a = assess(f, Intent.GLUCOCORTICOID)
    text = rec_text(a, "special-gc-stratum")
    assert (text is not None) == (stratum is not None)
    if text:
        assert "secondary summary" in text


def test_very_high_glucocorticoid_dose_warns_that_frax_underestimates() -> None:
    a = run(age=60, glucocorticoids=True, glucocorticoid_dose_mg=40)
    assert "underestimates" in (rec_text(a, "special-gc-treatment") or "")


def test_glucocorticoid_dose_missing_is_asked_for() -> None:
    a = run(age=60, glucocorticoids=True, t_scores={FN: -1.5})
    assert "glucocorticoid_dose_mg" in a.missing_facts


# -- CKD ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("facts", "shown"),
    [
        pytest.param({"egfr": 29.0}, True, id="ckd-in-egfr-29"),
        pytest.param({"egfr": 30.0}, False, id="ckd-out-egfr-30"),
        pytest.param({"egfr": 34.0}, False, id="ckd-out-egfr-34"),
        pytest.param({"conditions": {"dialysis": True}}, True, id="ckd-in-dialysis"),
    ],
)
def test_ckd_below_30_is_cautious_advice(facts: dict, shown: bool) -> None:
    a = run(age=75, sex=Sex.FEMALE, t_scores={FN: -2.7}, **facts)
    text = rec_text(a, "special-ckd")
    assert (text is not None) == shown
    if text:
        assert "KDIGO" in text and "could not check" in text and "CKD-mineral and bone disorder" in text
        assert "kdigo-2017#ckd-g4-g5-caution" in cites_of(a, "special-ckd-advanced")


# -- evidence and pitfalls ------------------------------------------------------------------------
def test_evidence_in_osteopenia_carries_the_corrected_numbers() -> None:
    a = run(t_scores={Site.TOTAL_HIP: -1.1, FN: -1.7})
    texts = " ".join(render_statement(r.statement, r.params) for r in a.section(Section.EVIDENCE))
    for s in ("82%", "6.9%", "2.2%", "73%", "-1 and -2.5", "over 100", "10 to 20", "2012", "2018", "15"):
        assert s in texts, s
    assert "near -2.5" in texts  # said only to correct the seed: "not only T-scores near -2.5"
    assert "not only T-scores near -2.5" in texts


def test_no_evidence_section_for_osteoporosis_or_drug_questions() -> None:
    assert not run(t_scores={FN: -2.8}).section(Section.EVIDENCE)
    assert not run(Intent.DRUG_CHOICE, t_scores={FN: -1.7}).section(Section.EVIDENCE)


def test_pitfalls_say_what_guidelines_actually_say_about_frax_in_osteoporosis() -> None:
    a = run(t_scores={FN: -1.7})
    texts = [render_statement(r.statement, r.params) for r in a.section(Section.PITFALLS)]
    frax = next(t for t in texts if "FRAX is not needed" in t)
    assert "no guideline forbids it" in frax


def test_denosumab_pitfall_not_repeated_when_safety_already_says_it() -> None:
    a = run(t_scores={FN: -2.8}, medications=[Medication(name="denosumab")])
    said = [r for r in a.recommendations if any(c.startswith("tsourdi-2021#") for c in r.citations)]
    assert len(said) >= 1
    assert sum(r.id == "pitfall-denosumab-stop" for r in a.recommendations) <= 1


# -- scope ----------------------------------------------------------------------------------------
def test_out_of_scope_question_says_what_is_covered() -> None:
    a = run(Intent.OUT_OF_SCOPE)
    assert a.in_scope is False
    assert [s.rule for s in a.trace] == ["scope-out-of-scope"]
    text = rec_text(a, "scope-covered")
    assert text and "outside what I cover" in text and "DXA" in text
