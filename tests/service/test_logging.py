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
    assert ("eGFR of 28" in logged) is flag  # a card summary: the direct answer names the patient's eGFR


def test_an_internal_error_is_a_bare_500_and_logs_no_patient_data(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    import assistant.service.app as app_module

    def broken(*_args: object, **_kw: object) -> dict:
        raise KeyError("patient-secret-99 T-score -3.1")

    monkeypatch.setattr(app_module, "answer_hook", broken)
    body = hook_request(patients()["no_bone_data"]["prefetch"], patient_id="patient-secret-99")
    with caplog.at_level(logging.DEBUG):
        running = start(create_app(ServiceConfig()))
        try:
            r = httpx.post(running.base + "/cds-services/bone-health", json=body, timeout=10)
        finally:
            running.stop()
    assert r.status_code == 500 and r.json() == {"error": "internal error"}
    logged = "\n".join(r.getMessage() for r in caplog.records) + "".join(capfd.readouterr())
    assert "KeyError" in logged and "patient-secret-99" not in logged and "Traceback" not in logged
