"""Nothing about a patient is logged unless --log-patient asks for it."""

from __future__ import annotations

import logging

import httpx
import pytest

from assistant.service.app import ServiceConfig, create_app
from assistant.service.examples import hook_request, patients
from tests.service.conftest import start


@pytest.mark.parametrize("flag", [False, True])
def test_patient_details_reach_the_log_only_with_the_flag(flag: bool, caplog: pytest.LogCaptureFixture) -> None:
    body = hook_request(patients()["osteoporosis_egfr_28"]["prefetch"], patient_id="patient-secret-42")
    with caplog.at_level(logging.DEBUG):
        running = start(create_app(ServiceConfig(log_patient=flag)))
        try:
            url = running.base + "/cds-services/bone-health"
            assert httpx.post(url, json=body, timeout=10).status_code == 200
            assert httpx.post(url, content=b"{bad", timeout=10).status_code == 400
        finally:
            running.stop()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert ("patient-secret-42" in logged) is flag
    assert ("-2.8" in logged) is flag
