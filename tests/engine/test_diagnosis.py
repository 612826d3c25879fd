"""Diagnosis vignettes: WHO categories at their boundaries, fracture-based diagnosis, Z-score rules,
stated diagnoses and numbers that overrule them. Facts are built directly (no parser)."""

from __future__ import annotations

import pytest

from assistant.engine import Assessment, Category, assess
from assistant.facts import Facts, FractureSite, Intent, Menopause, Sex, Site

FN, TH, LS, RADIUS = Site.FEMORAL_NECK, Site.TOTAL_HIP, Site.LUMBAR_SPINE, Site.FOREARM_33


def run(**facts: object) -> Assessment:
    return assess(Facts(**facts), Intent.MANAGEMENT_OVERALL)


def step(a: Assessment, rule_id: str):
    for s in a.trace:
        if s.rule == rule_id:
            return s
    raise AssertionError(f"rule {rule_id} not in trace {[s.rule for s in a.trace]}")


@pytest.mark.parametrize(
    ("t", "category"),
    [
        pytest.param(-0.9, Category.NORMAL, id="who-normal-above-minus-1"),
        pytest.param(-1.0, Category.NORMAL, id="who-normal-at-minus-1.0-boundary"),
        pytest.param(-1.01, Category.OSTEOPENIA, id="who-osteopenia-just-below-minus-1.0"),
        pytest.param(-2.49, Category.OSTEOPENIA, id="who-osteopenia-just-above-minus-2.5"),
        pytest.param(-2.5, Category.OSTEOPOROSIS, id="who-osteoporosis-at-minus-2.5-boundary"),
        pytest.param(-3.2, Category.OSTEOPOROSIS, id="who-osteoporosis-well-below"),
    ],
)
def test_who_category_from_t_score(t: float, category: Category) -> None:
    a = run(age=66, sex=Sex.FEMALE, t_scores={FN: t})
    assert a.classification.category == category
    assert a.classification.lowest_t_score == t
    assert "who-1994#t-score-categories" in step(a, "dx-who-t-score").cites


def test_lowest_site_decides_the_seed_case() -> None:
    a = run(t_scores={TH: -1.1, FN: -1.7})
    assert a.classification.category == Category.OSTEOPENIA
    assert a.classification.site == FN and a.classification.lowest_t_score == -1.7
    assert "iscd-2019#diagnostic-sites" in step(a, "dx-who-t-score").cites


def test_spine_lowest_makes_osteoporosis_even_with_normal_hip() -> None:
    a = run(t_scores={LS: -2.6, FN: -1.0})
    assert a.classification.category == Category.OSTEOPOROSIS and a.classification.site == LS


def test_33_percent_radius_counts_as_a_diagnostic_site() -> None:
    a = run(t_scores={RADIUS: -2.7, FN: -1.5})
    assert a.classification.category == Category.OSTEOPOROSIS and a.classification.site == RADIUS


def test_unsited_t_score_still_classifies() -> None:
    a = run(t_score_unsited=-2.6)
    assert a.classification.category == Category.OSTEOPOROSIS and a.classification.site is None


def test_severe_osteoporosis_needs_t_at_or_below_minus_2_5_and_a_fracture() -> None:
    a = run(t_scores={FN: -2.6}, prior_fragility_fracture=True, fracture_sites=[FractureSite.VERTEBRAL])
    assert a.classification.category == Category.SEVERE_OSTEOPOROSIS
    assert "who-1994#t-score-categories" in step(a, "dx-severe-osteoporosis").cites


def test_no_severe_osteoporosis_without_a_fracture() -> None:
    a = run(t_scores={FN: -3.4}, prior_fragility_fracture=False)
    assert a.classification.category == Category.OSTEOPOROSIS
    assert "dx-severe-osteoporosis" not in [s.rule for s in a.trace]


def test_hip_fracture_is_osteoporosis_whatever_the_t_score() -> None:
    a = run(t_scores={FN: -0.5}, prior_fragility_fracture=True, fracture_sites=[FractureSite.HIP])
    assert a.classification.category == Category.OSTEOPOROSIS and a.classification.basis == "fracture"
    assert "bhof-2022#clinical-diagnosis" in step(a, "dx-hip-vertebral-fracture").cites


def test_vertebral_fracture_without_dxa_is_osteoporosis() -> None:
    a = run(age=79, sex=Sex.FEMALE, prior_fragility_fracture=True, fracture_sites=[FractureSite.VERTEBRAL])
    assert a.classification.category == Category.OSTEOPOROSIS and a.classification.basis == "fracture"


def test_traumatic_hip_fracture_does_not_make_osteoporosis() -> None:
    a = run(t_scores={FN: -1.5}, prior_fragility_fracture=False, fracture_sites=[FractureSite.HIP])
    assert a.classification.category == Category.OSTEOPENIA
    assert "dx-hip-vertebral-fracture" not in [s.rule for s in a.trace]


@pytest.mark.parametrize(
    "site",
    [
        pytest.param(FractureSite.HUMERUS, id="aace-low-mass-proximal-humerus-fracture"),
        pytest.param(FractureSite.PELVIS, id="aace-low-mass-pelvis-fracture"),
        pytest.param(FractureSite.WRIST, id="aace-low-mass-distal-forearm-fracture"),
    ],
)
def test_aace_low_bone_mass_with_listed_fracture_is_osteoporosis(site: FractureSite) -> None:
    a = run(t_scores={FN: -1.8}, prior_fragility_fracture=True, fracture_sites=[site])
    assert a.classification.category == Category.OSTEOPOROSIS
    assert a.classification.basis == "fracture (AACE)"
    assert "aace-2020#clinical-diagnosis" in step(a, "dx-aace-low-mass-fracture").cites


def test_aace_rule_out_for_a_rib_fracture() -> None:
    a = run(t_scores={FN: -1.8}, prior_fragility_fracture=True, fracture_sites=[FractureSite.RIB])
    assert a.classification.category == Category.OSTEOPENIA


@pytest.mark.parametrize(
    ("facts", "category"),
    [
        pytest.param(
            {"menopause": Menopause.PRE, "sex": Sex.FEMALE, "z_scores": {LS: -2.0}},
            Category.BELOW_EXPECTED_FOR_AGE,
            id="z-premenopausal-at-minus-2.0-below-expected",
        ),
        pytest.param(
            {"menopause": Menopause.PRE, "sex": Sex.FEMALE, "z_scores": {LS: -1.9}},
            Category.WITHIN_EXPECTED_FOR_AGE,
            id="z-premenopausal-minus-1.9-within-expected",
        ),
        pytest.param(
            {"age": 49, "sex": Sex.MALE, "z_scores": {FN: -2.1}, "t_scores": {FN: -2.8}},
            Category.BELOW_EXPECTED_FOR_AGE,
            id="z-man-49-uses-z-not-t",
        ),
        pytest.param(
            {"age": 22, "z_score_unsited": -2.8}, Category.BELOW_EXPECTED_FOR_AGE, id="z-22-year-old-unsited-z"
        ),
    ],
)
def test_z_score_rules_for_younger_adults(facts: dict, category: Category) -> None:
    a = run(**facts)
    assert a.classification.category == category and a.classification.basis == "z-score"
    assert "iscd-2019#z-scores-younger-adults" in step(a, "dx-z-score-younger-adult").cites


def test_man_aged_50_uses_t_scores() -> None:
    a = run(age=50, sex=Sex.MALE, t_scores={FN: -2.6})
    assert a.classification.category == Category.OSTEOPOROSIS


def test_woman_49_with_only_t_scores_gets_no_category_and_is_asked_for_z_scores() -> None:
    a = run(age=49, sex=Sex.FEMALE, t_scores={FN: -2.6})
    assert a.classification.category is None
    assert "z_scores" in a.missing_facts


def test_postmenopausal_woman_49_uses_t_scores() -> None:
    a = run(age=49, sex=Sex.FEMALE, menopause=Menopause.POST, t_scores={FN: -2.6})
    assert a.classification.category == Category.OSTEOPOROSIS


def test_stated_osteoporosis_without_numbers() -> None:
    a = run(conditions={"osteoporosis_stated": True})
    assert a.classification.category == Category.OSTEOPOROSIS and a.classification.basis == "stated"
    assert "t_scores" in a.missing_facts


def test_stated_osteopenia_without_numbers() -> None:
    a = run(conditions={"osteopenia_stated": True})
    assert a.classification.category == Category.OSTEOPENIA and a.classification.basis == "stated"


def test_numbers_win_over_the_word_osteoporosis() -> None:
    a = run(age=73, sex=Sex.FEMALE, t_scores={LS: -1.7, TH: -2.0}, conditions={"osteoporosis_stated": True})
    assert a.classification.category == Category.OSTEOPENIA and a.classification.basis == "bmd"
    assert any(r.id == "dx-numbers-win" for r in a.recommendations)


def test_numbers_win_over_the_word_osteopenia() -> None:
    a = run(t_scores={LS: -2.6}, conditions={"osteopenia_stated": True})
    assert a.classification.category == Category.OSTEOPOROSIS
    assert any(r.id == "dx-numbers-win" for r in a.recommendations)
