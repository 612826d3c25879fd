"""`assistant ask --fhir` in every format, `assistant serve` refusing unsafe set-ups, and the one-shot
`assistant ask` never importing the service stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.service.examples import patients, searchset


def bundle_file(tmp_path: Path, name: str) -> Path:
    pre = patients()[name]["prefetch"]
    resources = [pre["patient"]] + [e["resource"] for k in ("observations", "conditions", "medications")
                                     for e in pre[k]["entry"]]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(searchset(resources)), encoding="utf-8")
    return path


def run(cmd: list[str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmd, *args], capture_output=True, text=True, input=stdin, timeout=120)


def test_ask_fhir_in_every_format(assistant_cmd: list[str], tmp_path: Path) -> None:
    path = bundle_file(tmp_path, "osteoporosis_egfr_28")
    text = run(assistant_cmd, "ask", "--fhir", str(path))
    assert text.returncode == 0, text.stderr
    assert "From the record:" in text.stdout and "eGFR 28 mL/min/1.73 m2 (LOINC 33914-3)" in text.stdout
    # the direct answer, as in the chat (CKD G4-5 comes first), then the bottom line
    assert "\n\nWith an eGFR of 28 (CKD G4-5), CKD-mineral and bone disorder is assessed first" in text.stdout
    assert "BOTTOM LINE: Drug treatment is indicated" in text.stdout
    md = run(assistant_cmd, "ask", "--fhir", str(path), "--format", "markdown")
    assert md.returncode == 0 and "- eGFR 28" in md.stdout and "[1" in md.stdout
    page = run(assistant_cmd, "ask", "--fhir", str(path), "--format", "html", "--date", "2026-01-02")
    assert page.returncode == 0, page.stderr
    assert page.stdout.lstrip().lower().startswith("<!doctype html") and "2026-01-02" in page.stdout
    assert "LOINC 33914-3" in page.stdout and "Drug treatment is indicated" in page.stdout
    for fmt in ("json", "jsonl"):
        out = run(assistant_cmd, "ask", "--fhir", str(path), "--format", fmt)
        assert out.returncode == 0
        data = json.loads(out.stdout)
        assert data["schema"] == "assistant.answer/1"
        assert data["decision"]["pharmacologic_treatment"] == "yes"
        assert data["facts"]["egfr"] == 28 and data["facts"]["t_scores"] == {"lumbar_spine": -2.8}
        assert any("LOINC 33914-3" in u for u in data["fhir"]["used"])


def test_ask_fhir_gives_the_chats_decision(assistant_cmd: list[str], tmp_path: Path) -> None:
    for name in ("osteopenia_without_frax", "denosumab_stop"):
        case = patients()[name]
        from_record = json.loads(run(assistant_cmd, "ask", "--fhir", str(bundle_file(tmp_path, name)),
                                     "--format", "json").stdout)
        from_chat = json.loads(run(assistant_cmd, "ask", case["chat"], "--format", "json").stdout)
        assert from_record["decision"]["pharmacologic_treatment"] == from_chat["decision"]["pharmacologic_treatment"]
        assert from_record["classification"]["category"] == from_chat["classification"]["category"]


def test_ask_fhir_with_a_bad_file_is_a_usage_error(assistant_cmd: list[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    for content in ("{not json", json.dumps({"resourceType": "Observation"}), "[" * 100_000):
        bad.write_text(content, encoding="utf-8")
        out = run(assistant_cmd, "ask", "--fhir", str(bad))
        assert out.returncode == 2
        assert out.stderr.startswith("assistant ask --fhir:") and "Traceback" not in out.stderr
    missing = run(assistant_cmd, "ask", "--fhir", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    both = run(assistant_cmd, "ask", "a question", "--fhir", str(bad))
    assert both.returncode == 2


def test_serve_without_jwks_refuses_a_public_address(assistant_cmd: list[str]) -> None:
    out = run(assistant_cmd, "serve", "--host", "0.0.0.0", "--port", "1")
    assert out.returncode == 2
    assert "loopback only" in out.stderr


def test_serve_with_an_unusable_jwks_refuses_to_start(assistant_cmd: list[str], tmp_path: Path) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}', encoding="utf-8")
    out = run(assistant_cmd, "serve", "--jwks", str(jwks), "--port", "1")
    assert out.returncode == 2 and "assistant serve:" in out.stderr and "Traceback" not in out.stderr


def test_one_shot_ask_does_not_import_the_service_stack() -> None:
    code = (
        "import sys; from assistant.cli import main; main(['ask', '67F, FN T -1.7']);"
        "bad = [m for m in ('fastapi', 'uvicorn', 'fhir', 'jwt', 'httpx', 'assistant.service') if m in sys.modules];"
        "print('IMPORTED', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("IMPORTED []")


@pytest.mark.parametrize("workers", ["2"])
def test_serve_starts_with_workers_and_answers_discovery(assistant_cmd: list[str], workers: str) -> None:
    import time

    import httpx

    from tests.service.conftest import free_port

    port = free_port()
    proc = subprocess.Popen([*assistant_cmd, "serve", "--port", str(port), "--workers", workers],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/cds-services", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["services"][0]["id"] == "bone-health"
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert "NOT authenticated" in err


def test_ask_fhir_reads_a_saved_hook_request(assistant_cmd: list[str], tmp_path: Path) -> None:
    from assistant.service.examples import hook_request

    path = tmp_path / "request.json"
    path.write_text(json.dumps(hook_request(patients()["denosumab_stop"]["prefetch"])), encoding="utf-8")
    out = run(assistant_cmd, "ask", "--fhir", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert any("denosumab stopped" in u for u in data["fhir"]["used"])
    assert any(r["id"] == "safety-denosumab-follow-on" and r["urgency"] == "critical" for r in data["recommendations"])


def test_serve_refuses_a_public_url_that_is_not_http(assistant_cmd: list[str]) -> None:
    out = run(assistant_cmd, "serve", "--public-url", "file:///etc", "--port", "1")
    assert out.returncode == 2 and "--public-url" in out.stderr
