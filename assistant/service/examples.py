"""Synthetic FHIR patients (made up, no real person): for the tests, the benchmark and the README's curl.

Each patient is a dict of prefetch values keyed like the service's prefetch (patient, observations,
conditions, medications), dated relative to `today` so that ages and intervals stay what they say.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def _years_ago(today: dt.date, years: int) -> str:
    return today.replace(year=today.year - years, day=min(today.day, 28)).isoformat()


def _months_ago(today: dt.date, months: int) -> str:
    return (today - dt.timedelta(days=round(months * 30.4375))).isoformat()


def patient(pid: str, gender: str, age: int, today: dt.date) -> dict[str, Any]:
    # Born a year and a day before `age` would become age + 1: the age is `age` on `today`.
    born = today.replace(year=today.year - age, day=min(today.day, 28)) - dt.timedelta(days=1)
    return {"resourceType": "Patient", "id": pid, "gender": gender, "birthDate": born.isoformat()}


def observation(code: str, value: float, unit: str, ucum: str | None = None, **extra: Any) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org"}
    if ucum is not None:
        quantity["code"] = ucum
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "valueQuantity": quantity,
        **extra,
    }


def t_score(code: str, value: float) -> dict[str, Any]:
    return observation(code, value, "{T-score}", "{T-score}")


def condition(code: str, display: str, system: str = ICD10, status: str = "active") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status}]
        },
        "code": {"coding": [{"system": system, "code": code, "display": display}]},
        "subject": {"reference": "Patient/x"},
    }


def med_statement(rxnorm: str, name: str, status: str, start: str | None = None, end: str | None = None) -> dict:
    period = {k: v for k, v in (("start", start), ("end", end)) if v}
    out: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": status,
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": rxnorm, "display": name}]},
        "subject": {"reference": "Patient/x"},
    }
    if period:
        out["effectivePeriod"] = period
    return out


def med_request(rxnorm: str, name: str, status: str, authored: str, mg_per_day: float | None = None) -> dict:
    out: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": rxnorm, "display": name}]},
        "subject": {"reference": "Patient/x"},
        "authoredOn": authored,
    }
    if mg_per_day is not None:
        out["dosageInstruction"] = [
            {
                "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                "doseAndRate": [{"doseQuantity": {"value": mg_per_day, "unit": "mg", "code": "mg"}}],
            }
        ]
    return out


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def prefetch(pat: dict, observations: list, conditions: list | None = None, medications: list | None = None) -> dict:
    return {
        "patient": pat,
        "observations": searchset(observations),
        "conditions": searchset(conditions or []),
        "medications": searchset(medications or []),
    }


def patients(today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The synthetic patients by name: their prefetch, and the chat message that says the same."""
    today = today or dt.datetime.now(dt.UTC).date()
    return {
        "osteopenia_without_frax": {
            "prefetch": prefetch(
                patient("p-osteopenia", "female", 67, today),
                [t_score("38264-8", -1.8), t_score("38267-1", -1.5)],
            ),
            "chat": "67-year-old woman, total hip T-score -1.8, lumbar spine T-score -1.5",
        },
        "osteoporosis_egfr_28": {
            "prefetch": prefetch(
                patient("p-ckd", "female", 72, today),
                [t_score("38267-1", -2.8), observation("33914-3", 28, "mL/min/1.73m2", "mL/min/{1.73_m2}")],
            ),
            "chat": "72-year-old woman, lumbar spine T-score -2.8, eGFR 28",
        },
        "denosumab_stop": {
            "prefetch": prefetch(
                patient("p-dmab", "female", 70, today),
                [t_score("38267-1", -2.6)],
                medications=[
                    med_statement("993449", "denosumab", "stopped", _years_ago(today, 4), _months_ago(today, 9))
                ],
            ),
            "chat": "70-year-old woman, lumbar spine T-score -2.6, stopped denosumab 9 months ago",
        },
        "man_on_glucocorticoids": {
            "prefetch": prefetch(
                patient("p-gc", "male", 60, today),
                [t_score("38267-1", -2.1)],
                medications=[med_request("8640", "prednisone", "active", _months_ago(today, 6), 7.5)],
            ),
            "chat": "60-year-old man on prednisone 7.5 mg daily for 6 months, lumbar spine T-score -2.1",
        },
        "no_bone_data": {
            "prefetch": prefetch(patient("p-none", "female", 55, today), []),
            "chat": "55-year-old woman",
        },
    }


def hook_request(prefetch_values: dict[str, Any] | None, patient_id: str = "p-1", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/example", "patientId": patient_id},
        **extra,
    }
    if prefetch_values is not None:
        body["prefetch"] = prefetch_values
    return body


def main(argv: list[str] | None = None) -> int:
    """`python -m assistant.service.examples [NAME] [--bundle]`: print a synthetic hook request (or Bundle)."""
    import json
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    bundle = "--bundle" in args
    names = [a for a in args if not a.startswith("--")]
    cases = patients()
    name = names[0] if names else "osteoporosis_egfr_28"
    if name not in cases:
        print(f"unknown patient {name!r}; one of: {', '.join(cases)}", file=sys.stderr)
        return 2
    pre = cases[name]["prefetch"]
    if bundle:
        resources = [pre["patient"]] + [
            e["resource"] for k in ("observations", "conditions", "medications") for e in pre[k]["entry"]
        ]
        print(json.dumps({"resourceType": "Bundle", "type": "collection",
                          "entry": [{"resource": r} for r in resources]}, indent=1))
    else:
        print(json.dumps(hook_request(pre, patient_id=pre["patient"]["id"]), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
