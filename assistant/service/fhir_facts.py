"""FHIR R4 resources -> Facts, with a record of what was read, set aside and not used.

Resources are parsed with fhir.resources' R4B models (R4B is R4 for every resource read here), never
as loose dictionaries. Codes are looked up in corpus/fhir_codes.yaml; a code that is not there is
listed as not used, never guessed at. Values in an unexpected unit, out of the plausible range, or
given only as a bound (">60") are set aside and said. Nothing here logs anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from assistant.facts import SITE_LABELS, Facts, FractureSite, Frax, Medication, Sex, Span, Status
from assistant.parse.labs import CALCIUM_RANGE, EGFR_RANGE, VITAMIN_D_RANGE
from assistant.parse.scores import T_SCORE_RANGE, Z_SCORE_RANGE
from assistant.service.codes import CodeBook, ObservationCode, codes
from assistant.service.units import to_fact_unit

MAX_RESOURCES = 2_000  # more resources than this in one call is refused (a record, not a data dump)
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
_OBS_OK = {"final", "amended", "corrected", "preliminary"}
_CURRENT_REQUEST = {"active", "on-hold"}
_PAST_REQUEST = {"completed", "stopped"}
_CURRENT_STATEMENT = {"active", "intended", "on-hold"}
_PAST_STATEMENT = {"completed", "stopped"}
_ACTIVE_CONDITION = {"active", "recurrence", "relapse"}


class FhirError(ValueError):
    """The input is not FHIR this service can read (a 400 for the hook, a usage error for the CLI)."""


@dataclass
class Reading:
    """What the record gave: the facts, and in words what was used, set aside and not used."""

    facts: Facts = field(default_factory=Facts)
    used: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    not_used: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"used": self.used, "set_aside": self.set_aside, "not_used": self.not_used, "notes": self.notes}


# -- parsing -----------------------------------------------------------------------------------
_READ = (Patient, Observation, Condition, MedicationRequest, MedicationStatement)


def parse_resources(data: Any) -> list[Any]:
    """A resource, a Bundle, or a list of them (JSON data) -> R4B models, Bundles opened.

    Raises FhirError for anything that is not valid FHIR R4 (unknown resourceType, wrong types)."""
    items = data if isinstance(data, list) else [data]
    out: list[Any] = []
    for item in items:
        if item is None:
            continue
        if not isinstance(item, dict) or not isinstance(item.get("resourceType"), str):
            raise FhirError("expected a FHIR resource (a JSON object with a resourceType)")
        kind = item["resourceType"]
        try:
            model = get_fhir_model_class(kind)
        except (KeyError, ValueError, AttributeError, TypeError):
            raise FhirError(f"unknown FHIR resourceType {kind[:40]!r}") from None
        try:
            resource = model.model_validate(item)
        except ValidationError as exc:
            raise FhirError(f"invalid FHIR {kind}: {_first_error(exc)}") from None
        except (ValueError, TypeError, RecursionError):
            raise FhirError(f"invalid FHIR {kind}") from None
        if isinstance(resource, Bundle):
            out.extend(e.resource for e in (resource.entry or []) if e.resource is not None)
        else:
            out.append(resource)
        if len(out) > MAX_RESOURCES:
            raise FhirError(f"more than {MAX_RESOURCES} resources")
    return out


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:
        return "validation failed"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()))[:120]
    return f"{where}: {str(first.get('msg', ''))[:160]}"


# -- mapping -----------------------------------------------------------------------------------
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
            _medication(r, res, book, today)
        else:
            r.not_used.append(f"a {res.get_resource_type()} resource (not read by this service)")
    _observations(r, observations, book)
    if r.facts.fracture_sites or r.facts.prior_fragility_fracture:
        r.facts.prior_fragility_fracture = True
    return r


def _span(text: str) -> Span:
    return Span(start=0, end=0, text=text)


def _patient(r: Reading, p: Patient, today: dt.date) -> None:
    f = r.facts
    if p.gender in ("female", "male"):
        f.sex = Sex(p.gender)
        f.sources["sex"] = _span(f"Patient.gender {p.gender}")
        r.used.append(f"sex {p.gender} (Patient.gender)")
    elif p.gender:
        r.not_used.append(f"Patient.gender {p.gender!s} (the engine reads female or male)")
    birth = p.birthDate
    if isinstance(birth, dt.date) and birth <= today:
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if 0 < age <= 120:
            f.age = age
            f.sources["age"] = _span(f"Patient.birthDate {birth.isoformat()}")
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


def _coding_name(system: str | None, code: str | None, display: str | None) -> str:
    names = {
        "http://loinc.org": "LOINC",
        "http://snomed.info/sct": "SNOMED CT",
        "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
        "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    }
    label = names.get(system or "", system or "no system")
    shown = f"{label} {code}" if code else label
    return f"{shown} '{display[:80]}'" if display else shown


def _known_observation(book: CodeBook, concept: Any) -> tuple[ObservationCode | None, str]:
    codings = (concept.coding or []) if concept is not None else []
    for c in codings:
        hit = book.observation(c.system, c.code)
        if hit is not None:
            return hit, f"LOINC {c.code}"
    if codings:
        c = codings[0]
        return None, _coding_name(c.system, c.code, c.display)
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
            latest[(entry.fact, site)] = (_when(o), value, words)
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
    from assistant.facts import Site

    if fact in ("t_score", "z_score"):
        kind = "t_scores" if fact == "t_score" else "z_scores"
        if site is None:
            attr = "t_score_unsited" if fact == "t_score" else "z_score_unsited"
            setattr(f, attr, value)
            f.sources[attr] = _span(words)
        else:
            getattr(f, kind)[Site(site)] = value
            f.sources[f"{kind}.{site}"] = _span(words)
        return
    if fact in ("frax_major", "frax_hip"):
        frax = f.frax or Frax()
        part = "major" if fact == "frax_major" else "hip"
        f.frax = frax.model_copy(update={part: value})
        f.sources[f"frax.{part}"] = _span(words)
        return
    setattr(f, fact, value)
    f.sources[fact] = _span(words)


def _status_code(concept: Any) -> str | None:
    if concept is None:
        return None
    for c in concept.coding or []:
        if c.code:
            return str(c.code)
    return None


def _condition(r: Reading, c: Condition, book: CodeBook) -> None:
    verification = _status_code(c.verificationStatus)
    codings = c.code.coding if c.code is not None and c.code.coding else []
    hit = None
    name = "a Condition without a code"
    for coding in codings:
        hit = book.condition(coding.system, coding.code)
        name = _coding_name(coding.system, coding.code, coding.display)
        if hit is not None:
            name = _coding_name(coding.system, coding.code, None) + f" {hit.meaning}"
            break
    if hit is None:
        if codings:
            name = _coding_name(codings[0].system, codings[0].code, codings[0].display)
        r.not_used.append(f"{name}: code not known to this service")
        return
    if verification in ("refuted", "entered-in-error"):
        r.set_aside.append(f"{name}: verification status {verification}")
        return
    clinical = _status_code(c.clinicalStatus)
    f = r.facts
    if hit.fracture is not None:
        # A fracture stays a prior fracture once healed; the record does not say whether it was a fragility
        # fracture, so the card says how it was taken.
        if hit.fracture not in f.fracture_sites:
            f.fracture_sites.append(FractureSite(hit.fracture))
        f.prior_fragility_fracture = True
        f.sources["prior_fragility_fracture"] = _span(name)
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
            f.sources[f"conditions.{key}"] = _span(name)
        if hit.ckd_stage is not None:
            f.ckd_stage = max(f.ckd_stage or 0, hit.ckd_stage)
        if hit.glucocorticoids:
            f.glucocorticoids = True
            f.sources["glucocorticoids"] = _span(name)
        r.used.append(name)


def _medication(r: Reading, m: MedicationRequest | MedicationStatement, book: CodeBook, today: dt.date) -> None:
    concept = m.medicationCodeableConcept
    if concept is None:
        r.not_used.append(f"a {m.get_resource_type()} naming its drug by reference (not followed)")
        return
    hit = None
    name = f"'{concept.text[:80]}' (no code)" if concept.text else "a medication without a code"
    for coding in concept.coding or []:
        hit = book.medication(coding.system, coding.code)
        if hit is not None:
            name = f"RxNorm {coding.code} {hit.meaning}"
            break
        name = _coding_name(coding.system, coding.code, coding.display)
    if hit is None:
        r.not_used.append(f"{name}: code not known to this service (RxNorm ingredients are read)")
        return
    is_request = isinstance(m, MedicationRequest)
    status = m.status
    if status in (_CURRENT_REQUEST if is_request else _CURRENT_STATEMENT):
        state = Status.AFFIRMED
    elif status in (_PAST_REQUEST if is_request else _PAST_STATEMENT):
        state = Status.HISTORICAL
    elif status == "not-taken" and not is_request:
        state = Status.NEGATED
    else:
        r.set_aside.append(f"{name}: status {status}")
        return
    start, end = _period(m)
    f = r.facts
    if hit.drug is not None:
        med = Medication(name=hit.drug, status=state)
        if start is not None:
            med.since = start.year
            until = end if (end is not None and state is Status.HISTORICAL) else today
            if until >= start:
                med.years = round((until - start).days / 365.25, 1)
        if end is not None and state is Status.HISTORICAL:
            med.last = end.year
            if end <= today:
                med.months_since_last = round((today - end).days / 30.4375, 1)
        f.medications = [x for x in f.medications if x.name != med.name or x.status is Status.AFFIRMED] + (
            [med] if not any(x.name == med.name and x.status is Status.AFFIRMED for x in f.medications) else []
        )
        r.used.append(f"{hit.drug.replace('_', ' ')} {_state_words(state, med)} ({name})")
        return
    if state is not Status.AFFIRMED:
        r.not_used.append(f"{name}: status {status}, not current")
        return
    if hit.glucocorticoid:
        f.glucocorticoids = True
        f.sources["glucocorticoids"] = _span(name)
        dose = _daily_mg(m) if hit.prednisone_equivalent else None
        if dose is not None:
            f.glucocorticoid_dose_mg = dose
        if start is not None and start <= today:
            f.glucocorticoid_months = round((today - start).days / 30.4375, 1)
        amount = f" {dose:g} mg/day" if dose is not None else ""
        r.used.append(f"glucocorticoid {hit.meaning}{amount} ({name})")
    for key, value in hit.conditions.items():
        f.conditions[key] = value
        f.sources[f"conditions.{key}"] = _span(name)
        r.used.append(f"{key.replace('_', ' ')} ({name})")


def _state_words(state: Status, med: Medication) -> str:
    if state is Status.AFFIRMED:
        return "current" + (f", since {med.since}" if med.since else "")
    if state is Status.NEGATED:
        return "not taken"
    words = "stopped"
    if med.months_since_last is not None:
        words += f", last dose about {med.months_since_last:g} months ago"
    return words


def _to_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return None


def _period(m: MedicationRequest | MedicationStatement) -> tuple[dt.date | None, dt.date | None]:
    if isinstance(m, MedicationStatement):
        if m.effectivePeriod is not None:
            return _to_date(m.effectivePeriod.start), _to_date(m.effectivePeriod.end)
        when = _to_date(m.effectiveDateTime)
        return when, None
    validity = m.dispenseRequest.validityPeriod if m.dispenseRequest is not None else None
    start = _to_date(m.authoredOn)
    end = None
    if validity is not None:
        start = _to_date(validity.start) or start
        end = _to_date(validity.end)
    return start, end


def _daily_mg(m: MedicationRequest | MedicationStatement) -> float | None:
    """The dose in mg/day when the first instruction says plainly 'N mg once a day'; else None."""
    dosage = m.dosageInstruction if isinstance(m, MedicationRequest) else m.dosage
    if not dosage:
        return None
    d = dosage[0]
    if not d.doseAndRate or d.doseAndRate[0].doseQuantity is None:
        return None
    q = d.doseAndRate[0].doseQuantity
    if q.value is None or (q.code or q.unit or "").lower() != "mg":
        return None
    repeat = d.timing.repeat if d.timing is not None else None
    if repeat is None or repeat.frequency != 1 or repeat.period is None or float(repeat.period) != 1:
        return None
    if repeat.periodUnit != "d":
        return None
    return float(q.value)
