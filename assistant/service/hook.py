"""One CDS Hooks call, without a web framework: discovery, and a patient-view request -> cards.

The same engine and profile as the chat: the record is mapped to Facts (fhir_facts), assessed for
the overall management question, rendered as an Answer, and the Answer becomes cards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.direct import direct_answer
from assistant.engine import assess
from assistant.facts import Intent
from assistant.render import Answer, build_answer
from assistant.service.cards import cards
from assistant.service.codes import codes
from assistant.service.fhir_facts import FhirError, Reading, parse_resources, read_record

SERVICE_ID = "bone-health"
HOOK = "patient-view"
PREFETCH_KEYS = ("patient", "observations", "conditions", "medications")
RECORD_QUESTION = "Bone health from the patient's record"


class HookError(ValueError):
    """A request this service cannot answer: a 400 with this message."""


class Authorization(BaseModel):
    model_config = ConfigDict(extra="allow")

    access_token: str = Field(max_length=16_384)
    token_type: str = "Bearer"
    scope: str | None = None
    subject: str | None = None
    expires_in: int | None = None


class Context(BaseModel):
    model_config = ConfigDict(extra="allow")

    patientId: str = Field(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9\-.]+$")  # a FHIR id
    userId: str | None = None
    encounterId: str | None = None


class HookRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    hook: Literal["patient-view"]
    hookInstance: str = Field(min_length=1, max_length=256)
    context: Context
    fhirServer: str | None = Field(default=None, max_length=2048)
    fhirAuthorization: Authorization | None = None
    prefetch: dict[str, Any] | None = None


def prefetch_templates() -> dict[str, str]:
    loinc = codes().systems["loinc"]
    obs = ",".join(f"{loinc}|{c}" for c in codes().observation_codes())
    return {
        "patient": "Patient/{{context.patientId}}",
        "observations": f"Observation?patient={{{{context.patientId}}}}&code={obs}",
        "conditions": "Condition?patient={{context.patientId}}",
        # Stopped and completed requests too: a denosumab stop is only seen in them.
        "medications": "MedicationRequest?patient={{context.patientId}}&status=active,completed,stopped,on-hold",
    }


def discovery() -> dict[str, Any]:
    return {
        "services": [
            {
                "hook": HOOK,
                "id": SERVICE_ID,
                "title": "Bone health (osteopenia and osteoporosis)",
                "description": (
                    "Reads the patient's DXA T-scores, FRAX, kidney function, vitamin D, calcium, conditions and "
                    "bone drugs, and answers with the guideline decision: treat or not, which drug, and the "
                    "safety findings, each with its sources. Deterministic; no language model."
                ),
                "prefetch": prefetch_templates(),
            }
        ]
    }


def parse_request(body: Any) -> HookRequest:
    if not isinstance(body, dict):
        raise HookError("the request body must be a JSON object")
    try:
        return HookRequest.model_validate(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))[:120]
        raise HookError(f"not a patient-view request: {where}: {str(first.get('msg', ''))[:160]}") from None


def record_answer(reading: Reading, profile: str, question: str = RECORD_QUESTION) -> Answer:
    """The answer to the overall question for a record: the same engine, intent and profile as the chat."""
    a = assess(reading.facts, Intent.MANAGEMENT_OVERALL, profile)
    # the direct answer, as in the chat: the card's summary and the first line of its detail
    drugs = [m.name for m in reading.facts.medications]
    found = direct_answer(Intent.MANAGEMENT_OVERALL, a, question, drugs)
    return build_answer(question, a, direct=(found.text, found.citations) if found is not None else None)


def resources_of(prefetch: dict[str, Any]) -> list[Any]:
    """The R4B resources of the prefetch keys this service reads (others are ignored)."""
    out: list[Any] = []
    for key in PREFETCH_KEYS:
        value = prefetch.get(key)
        if value is None:
            continue
        try:
            out.extend(parse_resources(value))
        except FhirError as exc:
            raise HookError(f"prefetch {key}: {exc}") from None
    return out


def answer_hook(
    req: HookRequest,
    profile: str,
    fetched: dict[str, Any] | None = None,
    notes: list[str] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Cards for one patient-view request. `fetched` holds what was fetched for missing prefetch keys."""
    prefetch = dict(req.prefetch or {})
    resources = resources_of(prefetch)
    found = {k for k in PREFETCH_KEYS if prefetch.get(k) is not None}
    notes = list(notes or [])
    for key, value in (fetched or {}).items():
        if key in found or key not in PREFETCH_KEYS:
            continue
        try:
            resources.extend(parse_resources(value))  # the EHR server's answer: a bad one is a note, not a 400
            found.add(key)
        except FhirError as exc:
            notes.append(f"{key}: the FHIR server's answer was not usable ({exc})")
    reading = read_record(resources, today=today)
    for key in PREFETCH_KEYS:
        if key not in found and not any(n.startswith(key + ":") for n in notes):
            reading.notes.append(f"{key}: not in the prefetch and not fetched")
    reading.notes.extend(notes)
    answer = record_answer(reading, profile)
    return {"cards": cards(answer, reading, req.hookInstance)}


def missing_keys(req: HookRequest) -> list[str]:
    prefetch = req.prefetch or {}
    return [k for k in PREFETCH_KEYS if prefetch.get(k) is None]
