"""FHIR resources -> Facts: codes as data, units checked, nothing guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.facts import KNOWN_CONDITIONS, FractureSite, Site, Status
from assistant.service.codes import codes
from assistant.service.examples import (
    condition,
    med_request,
    med_statement,
    observation,
    patient,
    searchset,
    t_score,
)
from assistant.service.fhir_facts import FhirError, parse_resources, read_record

TODAY = dt.date(2026, 6, 15)


def read(*resources: dict):
    return read_record(parse_resources(searchset(list(resources))), today=TODAY)


def test_every_code_says_what_it_means_and_where_it_was_checked() -> None:
    book = codes()
    for o in book.observations:
        assert o.meaning and o.checked
        if o.fact in ("t_score", "z_score", "frax_major", "frax_hip"):
            assert o.checked.startswith("https://"), o.code  # DXA and FRAX codes: only those confirmed
    for c in book.conditions:
        assert c.meaning and set(c.conditions) <= set(KNOWN_CONDITIONS)
    assert book.observation("http://loinc.org", "38267-1").site == Site.LUMBAR_SPINE


def test_patient_age_and_sex() -> None:
    r = read(patient("p", "female", 67, TODAY))
    assert (r.facts.age, r.facts.sex.value) == (67, "female")
    assert r.facts.sources["age"].text.startswith("Patient.birthDate")


def test_dxa_sites_and_the_latest_value_wins() -> None:
    old = t_score("38267-1", -2.9) | {"effectiveDateTime": "2020-01-01"}
    new = t_score("38267-1", -2.4) | {"effectiveDateTime": "2025-01-01"}
    r = read(new, old, t_score("38264-8", -1.9), t_score("38263-0", -2.0))
    assert r.facts.t_scores == {Site.LUMBAR_SPINE: -2.4, Site.TOTAL_HIP: -1.9}
    assert r.facts.t_score_unsited == -2.0  # "femur" without a region is never put on a site


def test_heel_t_score_is_not_used_for_diagnosis() -> None:
    r = read(t_score("38266-3", -3.0))
    assert not r.facts.t_scores and r.facts.t_score_unsited is None
    assert any("38266-3" in n and "not a site for the WHO diagnosis" in n for n in r.not_used)


def test_vitamin_d_in_nmol_is_converted_and_calcium_in_mmol_too() -> None:
    r = read(observation("62292-8", 50, "nmol/L"), observation("2000-8", 2.35, "mmol/L"))
    assert r.facts.vitamin_d == 20.0
    assert r.facts.calcium == pytest.approx(9.4, abs=0.05)


def test_egfr_in_a_wrong_unit_is_set_aside_and_said() -> None:
    r = read(observation("33914-3", 28, "mg/dL"))
    assert r.facts.egfr is None
    assert any("eGFR 28 mg/dL" in s and "unit" in s for s in r.set_aside)


def test_implausible_and_bounded_values_are_set_aside() -> None:
    r = read(t_score("38267-1", -12), observation("90265-0", 130, "%"),
             observation("33914-3", 60, "mL/min/1.73m2") | {"valueQuantity": {"value": 60, "comparator": ">"}})
    assert r.facts.t_scores == {} and r.facts.frax is None and r.facts.egfr is None
    assert len(r.set_aside) == 3


def test_frax_both_parts() -> None:
    r = read(observation("90265-0", 11, "%"), observation("90266-8", 1.4, "%"))
    assert (r.facts.frax.major, r.facts.frax.hip) == (11, 1.4)


def test_unknown_codes_are_listed_never_guessed() -> None:
    r = read(observation("1234-5", -2.8, "{T-score}"), condition("Z00.00", "General exam"),
             med_request("999999", "mystery drug", "active", "2026-01-01"))
    assert r.facts.t_scores == {} and r.facts.conditions == {} and r.facts.medications == []
    assert len(r.not_used) == 3


def test_conditions_map_to_the_agreed_vocabulary() -> None:
    r = read(
        condition("M81.0", "Age-related osteoporosis"),
        condition("N18.4", "CKD stage 4"),
        condition("S72.001A", "Fracture of right femur neck", status="resolved"),
        condition("C50.911", "Breast cancer"),
        condition("E11.9", "Type 2 diabetes", status="resolved"),
    )
    f = r.facts
    assert f.conditions["osteoporosis_stated"] is True and f.conditions["ckd"] is True and f.ckd_stage == 4
    assert f.fracture_sites == [FractureSite.HIP] and f.prior_fragility_fracture is True  # a healed fracture counts
    assert f.conditions["breast_cancer"] is True
    assert "type2_diabetes" not in f.conditions  # resolved: not current
    assert any("taken as a fragility fracture" in u for u in r.used)


def test_denosumab_stopped_with_months_since_the_last_dose() -> None:
    r = read(med_statement("993449", "denosumab", "stopped", "2022-01-01", "2025-09-15"))
    (m,) = r.facts.medications
    assert (m.name, m.status, m.last) == ("denosumab", Status.HISTORICAL, 2025)
    assert m.months_since_last == pytest.approx(9.0, abs=0.1)


def test_prednisone_dose_and_duration() -> None:
    r = read(med_request("8640", "prednisone", "active", "2025-12-15", 7.5))
    f = r.facts
    assert f.glucocorticoids is True and f.glucocorticoid_dose_mg == 7.5
    assert f.glucocorticoid_months == pytest.approx(6.0, abs=0.1)


def test_aromatase_inhibitor_sets_its_condition() -> None:
    r = read(med_request("84857", "anastrozole", "active", "2025-01-01"))
    assert r.facts.conditions["aromatase_inhibitor"] is True


@pytest.mark.parametrize(
    "bad",
    [{"resourceType": "Observation"}, {"resourceType": "Unknown"}, [1, 2], {"no": "type"},
     {"resourceType": "Patient", "birthDate": 12}],
)
def test_invalid_fhir_raises(bad: object) -> None:
    with pytest.raises(FhirError):
        parse_resources(bad)


def test_z_scores_and_the_left_and_right_hip_codes_are_read() -> None:
    r = read(t_score("85394-5", -2.3), t_score("80933-5", -1.1), t_score("80934-3", -0.4))
    assert r.facts.z_scores == {Site.LUMBAR_SPINE: -2.3, Site.TOTAL_HIP: -1.1}
    assert r.facts.z_score_unsited == -0.4  # "femur" without a region is never put on a site


def test_both_hips_on_one_scan_give_the_lower_t_score() -> None:
    day = {"effectiveDateTime": "2026-05-02"}
    r = read(t_score("80946-7", -2.6) | day, t_score("80945-9", -1.9) | day)
    assert r.facts.t_scores == {Site.TOTAL_HIP: -2.6}
    assert any("LOINC 80945-9" in n and "lowest counts" in n for n in r.not_used)
    # A later scan of one side is the latest value, whatever the older scan said.
    later = read(t_score("80946-7", -2.6) | day, t_score("80945-9", -1.9) | {"effectiveDateTime": "2026-06-01"})
    assert later.facts.t_scores == {Site.TOTAL_HIP: -1.9}


def test_a_forearm_score_is_shown_as_not_used_never_taken_for_the_33_percent_radius() -> None:
    r = read(t_score("38265-5", -2.8))
    assert Site.FOREARM_33 not in r.facts.t_scores and r.facts.t_score_unsited is None
    assert any("38265-5" in n and "33% radius" in n for n in r.not_used)


def test_methylprednisolone_and_hydrocortisone_doses_are_taken_as_prednisone_equivalents() -> None:
    r = read(med_request("6902", "methylprednisolone", "active", "2025-12-15", 16))
    assert r.facts.glucocorticoid_dose_mg == 20.0  # 4 mg methylprednisolone = 5 mg prednisone
    assert any("methylprednisolone 16 mg/day, taken as prednisone 20 mg/day" in u for u in r.used)
    assert read(med_request("5492", "hydrocortisone", "active", "2025-12-15", 20)).facts.glucocorticoid_dose_mg == 5.0


def test_a_dexamethasone_dose_is_not_converted_and_the_card_says_why() -> None:
    r = read(med_request("3264", "dexamethasone", "active", "2025-12-15", 4))
    assert r.facts.glucocorticoids is True and r.facts.glucocorticoid_dose_mg is None
    assert "no glucocorticoid dose band was applied" in r.missing_why["glucocorticoid_dose_mg"]


def test_every_prednisone_factor_names_its_source() -> None:
    for m in codes().medications:
        assert (m.prednisone_factor is None) or m.factor_source, m.code


def test_card_summaries_end_where_a_reader_can_stop() -> None:
    from assistant.service.cards import SUMMARY_MAX, shorten

    sentences = "The last denosumab injection was 9 months ago: the dose is overdue. " + "More words follow here. " * 8
    whole = shorten(sentences)
    assert whole.endswith(".") and not whole.endswith("…") and len(whole) <= SUMMARY_MAX
    paren = "Do not start alendronate or zoledronic acid: kidney function of 28 mL/min is below their cut-off of 35 " \
            "(alendronate not recommended, zoledronic acid contraindicated)."
    cut = shorten(paren)
    assert cut.endswith("cut-off of 35…") and "(" not in cut
    assert len(shorten("word " * 100)) <= SUMMARY_MAX


def test_snomed_osteopenia_and_ckd_stage_3_are_read_and_an_unconfirmed_code_is_not() -> None:
    sct = "http://snomed.info/sct"
    r = read(condition("312894000", "Osteopenia", sct), condition("433144002", "Chronic kidney disease stage 3", sct),
             condition("5913000", "Fracture of neck of femur", sct))
    assert r.facts.conditions.get("osteopenia_stated") is True and r.facts.ckd_stage == 3
    assert not r.facts.fracture_sites  # 5913000 could not be confirmed: listed as not used, never guessed
    assert any("5913000" in n and "not known" in n for n in r.not_used)


def test_a_topical_glucocorticoid_is_set_aside_not_counted_as_glucocorticoid_use() -> None:
    cream = med_request("5492", "hydrocortisone", "active", "2025-12-15", 20)
    cream["dosageInstruction"][0]["route"] = {"coding": [{"system": "http://snomed.info/sct", "code": "6064005"}]}
    r = read(cream)
    assert r.facts.glucocorticoids is not True and r.facts.glucocorticoid_dose_mg is None
    assert any("topical route, not an oral glucocorticoid" in s for s in r.set_aside)
    oral = med_request("5492", "hydrocortisone", "active", "2025-12-15", 20)
    oral["dosageInstruction"][0]["route"] = {"coding": [{"system": "http://snomed.info/sct", "code": "26643006"}]}
    assert read(oral).facts.glucocorticoid_dose_mg == 5.0
