"""Inputs that once escaped as library errors: each must be a FhirError (a 400), never a crash."""

from __future__ import annotations

import pytest

from assistant.service.fhir_parse import FhirError, parse_resources


@pytest.mark.parametrize("nested", ["", "NoSuchResource", "Observation "])
def test_a_bundle_entry_with_an_unmappable_resource_type_is_invalid_fhir(nested: str) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": {"resourceType": nested, "status": "final",
                                "code": {"coding": [{"system": "http://loinc.org", "code": "38267-1"}]}}}],
    }
    with pytest.raises(FhirError):
        parse_resources(bundle)
