"""FHIR R4 resources -> Facts, with a record of what was read, set aside and not used.

Patient (age, sex), Observations (DXA T- and Z-scores by site, FRAX, eGFR, 25-OH vitamin D, calcium)
and Conditions here; drugs in fhir_meds. Codes are looked up in corpus/fhir_codes.yaml; a code that is
not there is listed as not used, never guessed at. Values in an unexpected unit, out of the plausible
range, or given only as a bound (">60") are set aside and said. Nothing here logs anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

from assistant.facts import SITE_LABELS, Facts, FractureSite, Frax, Sex, Site
from assistant.parse.labs import CALCIUM_RANGE, EGFR_RANGE, VITAMIN_D_RANGE
from assistant.parse.scores import T_SCORE_RANGE, Z_SCORE_RANGE
from assistant.service.codes import CodeBook, ObservationCode, codes
from assistant.service.fhir_meds import read_medication
from assistant.service.fhir_parse import FhirError, parse_resources
from assistant.service.reading import Reading, coding_name, span, status_code
from assistant.service.units import to_fact_unit

__all__ = ["FhirError", "Reading", "parse_resources", "read_record"]

PERCENT_RANGE = (0.0, 100.0)
_RANGES = {
    "t_score": T_SCORE_RANGE,
    "z_score": Z_SCORE_RANGE,
    "frax_major": PERCENT_RANGE,
    "frax_hip": PERCENT_RANGE,
    "egfr": EGFR_RANGE,
    "vitamin_d": VITAMIN_D_RANGE,
    "calcium": CALCIUM_RANGE,
}
_FACT_NAMES = {
    "frax_major": "FRAX major osteoporotic fracture probability",
    "frax_hip": "FRAX hip fracture probability",
    "egfr": "eGFR",
    "vitamin_d": "25-OH vitamin D",
    "calcium": "serum calcium",
}
_FACT_UNITS = {"frax_major": "%", "frax_hip": "%", "egfr": "mL/min/1.73 m2", "vitamin_d": "ng/mL", "calcium": "mg/dL"}
# Left and right hip on one scan (or any two scores for one site and date): the lower is used, as the diagnosis
# takes the lowest T-score (../shared/clinical/sources.md, ISCD).
_LOWER_KEPT = "a lower score for the same site and date is used (the lowest counts)"
_OBS_OK = {"final", "amended", "corrected", "preliminary"}
_ACTIVE_CONDITION = {"active", "recurrence", "relapse"}


def read_record(resources: Iterable[Any], today: dt.date | None = None, book: CodeBook | None = None) -> Reading:
    """Facts from R4B resources. `today` fixes the date that ages and durations are counted to."""
    book = book or codes()
    today = today or dt.datetime.now(dt.UTC).date()
    r = Reading()
    observations: list[Observation] = []
    for res in resources:
        if isinstance(res, Patient):
            _patient(r, res, today)
        elif isinstance(res, Observation):
            observations.append(res)
        elif isinstance(res, Condition):
            _condition(r, res, book)
        elif isinstance(res, (MedicationRequest, MedicationStatement)):
            read_medication(r, res, book, today)
        else:
            r.not_used.append(f"a {res.get_resource_type()} resource (not read by this service)")
    _observations(r, observations, book)
    if r.facts.fracture_sites or r.facts.prior_fragility_fracture:
        r.facts.prior_fragility_fracture = True
    return r


def _patient(r: Reading, p: Patient, today: dt.date) -> None:
    f = r.facts
    if p.gender in ("female", "male"):
        f.sex = Sex(p.gender)
        f.sources["sex"] = span(f"Patient.gender {p.gender}")
        r.used.append(f"sex {p.gender} (Patient.gender)")
    elif p.gender:
        r.not_used.append(f"Patient.gender {p.gender!s} (the engine reads female or male)")
    birth = p.birthDate
    if isinstance(birth, dt.date) and birth <= today:
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if 0 < age <= 120:
            f.age = age
            f.sources["age"] = span(f"Patient.birthDate {birth.isoformat()}")
            r.used.append(f"age {age} (from Patient.birthDate)")


def _when(o: Any) -> str:
    """A sortable timestamp of an Observation (effective, else issued); '' when it has none."""
    for name in ("effectiveDateTime", "issued"):
        v = getattr(o, name, None)
        if v is not None:
            return v.isoformat() if hasattr(v, "isoformat") else str(v)
    period = getattr(o, "effectivePeriod", None)
    if period is not None and period.end is not None:
        return period.end.isoformat()
    return ""


def _pairs(o: Observation) -> Iterator[tuple[Any, Any]]:
    """(code, valueQuantity) of the Observation and of each of its components."""
    yield o.code, o.valueQuantity
    for c in o.component or []:
        yield c.code, c.valueQuantity


def _known_observation(book: CodeBook, concept: Any) -> tuple[ObservationCode | None, str]:
    codings = (concept.coding or []) if concept is not None else []
    for c in codings:
        hit = book.observation(c.system, c.code)
        if hit is not None:
            return hit, f"LOINC {c.code}"
    if codings:
        c = codings[0]
        return None, coding_name(c.system, c.code, c.display)
    text = getattr(concept, "text", None) if concept is not None else None
    return None, f"'{str(text)[:80]}' (no code)" if text else "an Observation without a code"


def _observations(r: Reading, observations: list[Observation], book: CodeBook) -> None:
    latest: dict[tuple[str, str | None], tuple[str, float, str]] = {}  # (fact, site) -> (when, value, words)
    for o in sorted(observations, key=_when):
        if o.status not in _OBS_OK:
            r.set_aside.append(f"an Observation with status {o.status} (not a usable result)")
            continue
        for concept, quantity in _pairs(o):
            entry, name = _known_observation(book, concept)
            if entry is None:
                if concept is not None and quantity is not None or o.component is None:
                    r.not_used.append(f"{name}: code not known to this service")
                continue
            if entry.fact == "ignore":
                r.not_used.append(f"{name} {entry.meaning}: {entry.note or 'not used'}")
                continue
            what = _label(entry)
            if quantity is None or quantity.value is None:
                r.set_aside.append(f"{what} ({name}): no numeric value")
                continue
            raw = float(quantity.value) if isinstance(quantity.value, Decimal | int | float) else None
            if raw is None:
                continue
            if quantity.comparator:
                r.set_aside.append(f"{what} {quantity.comparator}{raw:g} ({name}): a bound, not a value")
                continue
            value, how = to_fact_unit(book, entry.fact, raw, quantity.code or quantity.unit)
            if value is None:
                shown = f"{what} {raw:g} {quantity.unit or quantity.code or ''}".rstrip()
                r.set_aside.append(f"{shown} ({name}): {how}")
                continue
            lo, hi = _RANGES[entry.fact]
            if not lo <= value <= hi:
                r.set_aside.append(f"{what} {value:g} ({name}): outside {lo:g} to {hi:g}")
                continue
            site = entry.site.value if entry.site is not None else None
            words = f"{what} {value:g}{_unit_words(entry.fact)} ({name}" + (f"; {how})" if how else ")")
            when, held = _when(o), latest.get((entry.fact, site))
            if held is not None and held[0] == when and entry.fact in ("t_score", "z_score") and held[1] <= value:
                r.not_used.append(f"{words}: {_LOWER_KEPT}")
                continue
            if held is not None and held[0] == when and entry.fact in ("t_score", "z_score"):
                r.not_used.append(f"{held[2]}: {_LOWER_KEPT}")
            latest[(entry.fact, site)] = (when, value, words)
    for (fact, site), (_at, value, words) in latest.items():  # noqa: B007 - the time only sorted them
        _set_observation(r.facts, fact, site, value, words)
        r.used.append(words)


def _label(entry: ObservationCode) -> str:
    if entry.fact in ("t_score", "z_score"):
        letter = "T" if entry.fact == "t_score" else "Z"
        where = SITE_LABELS[entry.site] if entry.site is not None else "site not given"
        return f"{letter}-score ({where})"
    return _FACT_NAMES[entry.fact]


def _unit_words(fact: str) -> str:
    unit = _FACT_UNITS.get(fact)
    if unit is None:
        return ""
    return unit if unit == "%" else f" {unit}"


def _set_observation(f: Facts, fact: str, site: str | None, value: float, words: str) -> None:
    if fact in ("t_score", "z_score"):
        kind = "t_scores" if fact == "t_score" else "z_scores"
        if site is None:
            attr = "t_score_unsited" if fact == "t_score" else "z_score_unsited"
            setattr(f, attr, value)
            f.sources[attr] = span(words)
        else:
            getattr(f, kind)[Site(site)] = value
            f.sources[f"{kind}.{site}"] = span(words)
        return
    if fact in ("frax_major", "frax_hip"):
        frax = f.frax or Frax()
        part = "major" if fact == "frax_major" else "hip"
        f.frax = frax.model_copy(update={part: value})
        f.sources[f"frax.{part}"] = span(words)
        return
    setattr(f, fact, value)
    f.sources[fact] = span(words)


def _condition(r: Reading, c: Condition, book: CodeBook) -> None:
    verification = status_code(c.verificationStatus)
    codings = c.code.coding if c.code is not None and c.code.coding else []
    hit = None
    name = "a Condition without a code"
    for coding in codings:
        hit = book.condition(coding.system, coding.code)
        name = coding_name(coding.system, coding.code, coding.display)
        if hit is not None:
            name = coding_name(coding.system, coding.code, None) + f" {hit.meaning}"
            break
    if hit is None:
        if codings:
            name = coding_name(codings[0].system, codings[0].code, codings[0].display)
        r.not_used.append(f"{name}: code not known to this service")
        return
    if verification in ("refuted", "entered-in-error"):
        r.set_aside.append(f"{name}: verification status {verification}")
        return
    clinical = status_code(c.clinicalStatus)
    f = r.facts
    if hit.fracture is not None:
        # A fracture stays a prior fracture once healed; the record does not say whether it was a fragility
        # fracture, so the card says how it was taken.
        if hit.fracture not in f.fracture_sites:
            f.fracture_sites.append(FractureSite(hit.fracture))
        f.prior_fragility_fracture = True
        f.sources["prior_fragility_fracture"] = span(name)
        r.used.append(
            f"{hit.fracture.value} fracture ({name}), taken as a fragility fracture: check it was not major trauma"
        )
    stated = {k: v for k, v in hit.conditions.items() if k in ("osteoporosis_stated", "osteopenia_stated")}
    others = {k: v for k, v in hit.conditions.items() if k not in stated}
    active = clinical is None or clinical in _ACTIVE_CONDITION
    for key, value in stated.items():
        f.conditions[key] = value
        r.used.append(f"{key.replace('_', ' ')} ({name})")
    if others or hit.ckd_stage is not None or hit.glucocorticoids:
        if not active:
            r.set_aside.append(f"{name}: clinical status {clinical}, not current")
            return
        for key, value in others.items():
            f.conditions[key] = value
            f.sources[f"conditions.{key}"] = span(name)
        if hit.ckd_stage is not None:
            f.ckd_stage = max(f.ckd_stage or 0, hit.ckd_stage)
        if hit.glucocorticoids:
            f.glucocorticoids = True
            f.sources["glucocorticoids"] = span(name)
        r.used.append(name)
