"""JSON -> FHIR R4 resources, through fhir.resources' R4B models (never loose dictionaries).

fhir.resources 8 makes R5 its default; its R4B package has Patient, Observation, Condition,
MedicationRequest and MedicationStatement as R4 has them. Anything that is not valid FHIR is a FhirError
(a 400 for the hook, a usage error for `assistant ask --fhir`).
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

MAX_RESOURCES = 2_000  # more resources than this in one call is refused (a record, not a data dump)


class FhirError(ValueError):
    """The input is not FHIR this service can read (a 400 for the hook, a usage error for the CLI)."""


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
        except (ValueError, TypeError, KeyError, AttributeError, ImportError, RecursionError):
            # fhir.resources raises KeyError/ImportError for a nested resource whose resourceType it cannot map
            # (an empty or unknown one): still invalid FHIR, a 400, never a 500
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
