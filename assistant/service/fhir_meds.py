"""MedicationRequest / MedicationStatement -> the facts of drugs: osteoporosis drugs (with their status,
start, duration and months since the last dose), glucocorticoids (with a prednisone dose when the order
says it plainly), and drugs that set a condition (aromatase inhibitors, androgen deprivation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement

from assistant.facts import Medication, Status
from assistant.service.codes import CodeBook
from assistant.service.reading import Reading, coding_name, span

_CURRENT_REQUEST = {"active", "on-hold"}
_PAST_REQUEST = {"completed", "stopped"}
_CURRENT_STATEMENT = {"active", "intended", "on-hold"}
_PAST_STATEMENT = {"completed", "stopped"}


def read_medication(r: Reading, m: MedicationRequest | MedicationStatement, book: CodeBook, today: dt.date) -> None:
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
        name = coding_name(coding.system, coding.code, coding.display)
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
        route = _local_route(m, book)
        if route is not None:
            r.set_aside.append(f"{name}: {route.lower()}, not an oral glucocorticoid, so not counted")
            return
        f.glucocorticoids = True
        f.sources["glucocorticoids"] = span(name)
        if start is not None and start <= today:
            f.glucocorticoid_months = round((today - start).days / 30.4375, 1)
        dose = _glucocorticoid_dose(r, m, hit.meaning, hit.prednisone_factor)
        r.used.append(f"glucocorticoid {hit.meaning}{dose} ({name})")
    for key, value in hit.conditions.items():
        f.conditions[key] = value
        f.sources[f"conditions.{key}"] = span(name)
        r.used.append(f"{key.replace('_', ' ')} ({name})")


def _glucocorticoid_dose(
    r: Reading, m: MedicationRequest | MedicationStatement, drug: str, factor: float | None
) -> str:
    """Sets the prednisone-equivalent dose when the order states it plainly and the drug has a sourced factor;
    otherwise says on the card why no dose band was applied. Returns the words for the dose."""
    dose = _daily_mg(m)
    if dose is None:
        r.missing_why["glucocorticoid_dose_mg"] = (
            f"the {drug} order does not say N mg once a day, so no glucocorticoid dose band was applied"
        )
        return ""
    if factor is None:
        r.missing_why["glucocorticoid_dose_mg"] = (
            f"{drug} {dose:g} mg/day is in the record but has no agreed prednisone-equivalent factor, so no "
            "glucocorticoid dose band was applied"
        )
        return f" {dose:g} mg/day"
    equivalent = round(dose * factor, 2)
    r.facts.glucocorticoid_dose_mg = equivalent
    if factor == 1:
        return f" {dose:g} mg/day"
    return f" {dose:g} mg/day, taken as prednisone {equivalent:g} mg/day (x{factor:g})"


def _local_route(m: MedicationRequest | MedicationStatement, book: CodeBook) -> str | None:
    """The name of the first instruction's route when it is a known local (not oral or systemic) route."""
    dosage = m.dosageInstruction if isinstance(m, MedicationRequest) else m.dosage
    route = dosage[0].route if dosage else None
    for coding in (route.coding or []) if route is not None else []:
        hit = book.local_route(coding.system, coding.code)
        if hit is not None:
            return hit.meaning
    return None


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
