"""The CDS Hooks service over HTTP on loopback: discovery, cards for synthetic patients, the fetch path,
and every error status a client can cause (never a 500, never a traceback)."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from assistant.conversation import Conversation
from assistant.service.examples import (
    hook_request,
    med_request,
    observation,
    patient,
    patients,
    prefetch,
    searchset,
    t_score,
)

SERVICE = "/cds-services/bone-health"


def post(base: str, body: object, path: str = SERVICE, **kw: object) -> httpx.Response:
    return httpx.post(base + path, json=body, timeout=10, **kw)


def cards_for(base: str, name: str) -> list[dict]:
    r = post(base, hook_request(patients()[name]["prefetch"]))
    assert r.status_code == 200, r.text
    return r.json()["cards"]


def test_discovery_lists_the_patient_view_service_with_its_prefetch(service: str) -> None:
    r = httpx.get(service + "/cds-services", timeout=10)
    assert r.status_code == 200
    (svc,) = r.json()["services"]
    assert svc["hook"] == "patient-view" and svc["id"] == "bone-health"
    assert svc["title"] and svc["description"]
    assert set(svc["prefetch"]) == {"patient", "observations", "conditions", "medications"}
    assert svc["prefetch"]["patient"] == "Patient/{{context.patientId}}"
    obs = svc["prefetch"]["observations"]
    assert obs.startswith("Observation?patient={{context.patientId}}&code=")
    for code in ("38267-1", "90265-0", "90266-8", "33914-3", "62292-8"):
        assert f"http://loinc.org|{code}" in obs


def test_osteopenia_without_frax_asks_for_frax(service: str) -> None:
    (card,) = cards_for(service, "osteopenia_without_frax")
    assert len(card["summary"]) <= 140
    # the summary is the direct answer, as in the chat; its detail opens with it in full
    assert card["summary"].startswith("Treat: it depends on the fracture risk.")
    assert "**Short answer.** Treat: it depends on the fracture risk." in card["detail"] and "-1.8" in card["detail"]
    assert card["indicator"] in ("info", "warning")
    assert "FRAX 10-year probabilities (major osteoporotic and hip): not found in the record" in card["detail"]
    assert "T-score (total hip) -1.8 (LOINC 38264-8)" in card["detail"]
    assert card["source"]["label"].startswith("Guideline assistant")
    assert card["source"]["url"].startswith("http")
    assert "**Sources:**\n1. " in card["detail"]


def test_osteoporosis_with_egfr_28_is_critical_and_rules_out_alendronate(service: str) -> None:
    cards = cards_for(service, "osteoporosis_egfr_28")
    main = cards[0]
    assert main["indicator"] == "critical"
    assert main["summary"].startswith("With an eGFR of 28 (CKD G4-5), CKD-mineral and bone disorder is assessed first")
    assert "eGFR 28 mL/min/1.73 m2 (LOINC 33914-3)" in main["detail"]
    critical = [c["summary"] for c in cards[1:]]
    assert any("alendronate" in s and "28" in s for s in critical)
    assert all(c["indicator"] == "critical" and len(c["summary"]) <= 140 for c in cards[1:])


def test_denosumab_stop_without_follow_on_is_a_critical_card(service: str) -> None:
    cards = cards_for(service, "denosumab_stop")
    assert cards[0]["indicator"] == "critical"
    assert "denosumab stopped, last dose about 9" in cards[0]["detail"]
    # the direct answer (the overdue dose comes first) is the first card's summary, and no card says it twice
    assert cards[0]["summary"].startswith("The last denosumab injection was 9 months ago: the dose is overdue.")
    assert not any("the dose is overdue" in c["summary"] for c in cards[1:])
    assert any("Denosumab has been stopped" in c["summary"] and c["indicator"] == "critical" for c in cards[1:])


def test_man_on_glucocorticoids_reads_the_prednisone_dose(service: str) -> None:
    cards = cards_for(service, "man_on_glucocorticoids")
    detail = cards[0]["detail"]
    assert "glucocorticoid prednisone 7.5 mg/day (RxNorm 8640 prednisone)" in detail
    assert "sex male" in detail


def test_a_dose_the_service_cannot_convert_is_said_under_missing_not_called_absent(service: str) -> None:
    today = dt.date.today()
    pre = prefetch(patient("p-dex", "male", 60, today), [t_score("38267-1", -2.1)],
                   medications=[med_request("3264", "dexamethasone", "active", "2026-01-01", 4)])
    detail = post(service, hook_request(pre)).json()["cards"][0]["detail"]
    missing = detail.split("**Missing:**")[1].split("**Sources:**")[0]
    assert "glucocorticoid dose: dexamethasone 4 mg/day is in the record" in missing
    assert "no glucocorticoid dose band was applied" in missing
    assert "glucocorticoid dose: not found" not in missing
    # The lumbar spine T-score is in the record: the card asks for the other sites, not for "DXA T-scores".
    assert "DXA T-score at the femoral neck and total hip: not found in the record (lumbar spine given)" in missing
    assert "FRAX inputs: parental hip fracture, current smoking" in missing


def test_patient_without_bone_data_says_what_is_missing(service: str) -> None:
    (card,) = cards_for(service, "no_bone_data")
    assert "DXA T-scores with their sites (femoral neck, total hip, lumbar spine): not found in the record" in card[
        "detail"
    ]
    assert len(card["summary"]) <= 140


@pytest.mark.parametrize("name", sorted(patients()))
def test_same_patient_same_decision_through_chat_bundle_and_hook(service: str, name: str) -> None:
    from assistant.service.fhir_facts import parse_resources, read_record
    from assistant.service.hook import record_answer, resources_of

    case = patients()[name]
    chat = Conversation().ask(case["chat"]).answer.assessment
    record = record_answer(read_record(resources_of(case["prefetch"])), "us").assessment
    bundle = searchset([case["prefetch"]["patient"]] + [
        e["resource"] for k in ("observations", "conditions", "medications") for e in case["prefetch"][k]["entry"]
    ])
    from_bundle = record_answer(read_record(parse_resources(bundle)), "us").assessment
    assert chat.decision == record.decision == from_bundle.decision
    assert chat.classification.category == record.classification.category
    hook_summary = cards_for(service, name)[0]["summary"]
    from assistant.service.cards import shorten

    direct = record_answer(read_record(resources_of(case["prefetch"])), "us").direct
    assert direct is not None and hook_summary == shorten(direct.text)


def test_unknown_codes_and_wrong_units_are_said_not_used(service: str) -> None:
    import datetime as dt

    today = dt.date.today()
    pre = prefetch(
        patient("p-x", "female", 66, today),
        [
            t_score("38267-1", -2.2),
            observation("33914-3", 40, "mL/min"),  # not normalised to 1.73 m2: set aside
            observation("62292-8", 75, "nmol/L"),  # converted: 30 ng/mL
            observation("99999-9", 3.0, "mg"),
            observation("33914-3", 60, "mL/min/1.73m2") | {"valueQuantity": {"value": 60, "comparator": ">"}},
        ],
    )
    r = post(service, hook_request(pre))
    assert r.status_code == 200, r.text
    detail = r.json()["cards"][0]["detail"]
    assert "eGFR 40 mL/min (LOINC 33914-3): unit mL/min is not one this service reads for it" in detail
    assert "25-OH vitamin D 30 ng/mL (LOINC 62292-8; converted from 75 nmol/L)" in detail
    assert "LOINC 99999-9: code not known to this service" in detail
    assert "eGFR >60 (LOINC 33914-3): a bound, not a value" in detail
    assert "kidney function (eGFR or creatinine clearance): not found in the record" in detail


def test_missing_prefetch_is_fetched_from_the_fhir_server(service: str, fhir_stub) -> None:
    case = patients()["osteoporosis_egfr_28"]["prefetch"]
    fhir_stub.resources.update(
        {
            "Patient/p-ckd": case["patient"],
            "Observation": case["observations"],
            "Condition": case["conditions"],
            "MedicationRequest": case["medications"],
        }
    )
    body = hook_request(None, patient_id="p-ckd", fhirServer=fhir_stub.base,
                        fhirAuthorization={"access_token": "tok-123", "token_type": "Bearer", "expires_in": 300,
                                           "scope": "patient/*.read", "subject": "cds"})
    r = post(service, body)
    assert r.status_code == 200, r.text
    cards = r.json()["cards"]
    assert cards[0]["indicator"] == "critical"
    assert "eGFR 28" in cards[0]["detail"]
    paths = [p for p, _auth in fhir_stub.seen]
    assert any(p.startswith("/fhir/Patient/p-ckd") for p in paths)
    assert any(p.startswith("/fhir/Observation?patient=p-ckd&code=") for p in paths)
    assert all(auth == "Bearer tok-123" for _p, auth in fhir_stub.seen)


def test_a_fhir_server_that_fails_gives_a_note_not_an_error(service: str, fhir_stub) -> None:
    fhir_stub.resources.update({"Patient/p-2": patient("p-2", "female", 70, __import__("datetime").date.today()),
                                "Observation": b"not json"})
    body = hook_request(None, patient_id="p-2", fhirServer=fhir_stub.base, fhirAuthorization={"access_token": "t"})
    r = post(service, body)
    assert r.status_code == 200, r.text
    detail = r.json()["cards"][0]["detail"]
    assert "observations: could not be fetched from the FHIR server" in detail
    assert "conditions: could not be fetched from the FHIR server" in detail  # the stub answers 404


# -- what a client can get wrong --------------------------------------------------------------------
def _no_leak(r: httpx.Response) -> None:
    assert r.status_code < 500
    assert r.headers["content-type"].startswith("application/json")
    assert "Traceback" not in r.text and 'File "' not in r.text
    assert isinstance(r.json()["error"], str)


def test_unknown_service_is_404(service: str) -> None:
    r = post(service, hook_request(None), path="/cds-services/nope")
    assert r.status_code == 404
    _no_leak(r)
    assert httpx.get(service + "/nothing-here", timeout=10).status_code == 404


def test_malformed_json_is_400(service: str) -> None:
    for raw in (b"{", b"not json", b"\xff\xfe", b"", b'{"hook": "patient-view",}'):
        r = httpx.post(service + SERVICE, content=raw, headers={"content-type": "application/json"}, timeout=10)
        assert r.status_code == 400, raw
        _no_leak(r)


@pytest.mark.parametrize(
    "body",
    [
        [],
        "a string",
        {"hook": "order-select", "hookInstance": "x", "context": {"patientId": "p"}},
        {"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "../../etc/passwd"}},
        {"hook": "patient-view", "hookInstance": 5, "context": {"patientId": "p"}},
        {"hook": "patient-view", "hookInstance": "x", "context": "p"},
        {"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p"}, "prefetch": []},
    ],
)
def test_wrong_types_are_400(service: str, body: object) -> None:
    r = post(service, body)
    assert r.status_code == 400
    _no_leak(r)


@pytest.mark.parametrize(
    "bad",
    [
        {"resourceType": "Patient", "gender": 5},
        {"resourceType": "Observation", "status": "final"},  # no code
        {"resourceType": "NoSuchThing"},
        {"resourceType": "Patient", "birthDate": "not-a-date"},
        {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Observation"}}]},
        {"gender": "female"},
        "Patient",
    ],
)
def test_invalid_fhir_is_400_with_a_json_error(service: str, bad: object) -> None:
    r = post(service, hook_request({"patient": bad}))
    assert r.status_code == 400
    _no_leak(r)
    assert r.json()["error"].startswith("prefetch patient:")


def test_deep_json_is_400(service: str) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    r = httpx.post(service + SERVICE, content=deep.encode(), headers={"content-type": "application/json"}, timeout=10)
    assert r.status_code == 400
    _no_leak(r)
    nested: dict = {}
    cur = nested
    for _ in range(200):
        cur["extension"] = [{"url": "x"}]
        cur = cur["extension"][0]
    r = post(service, hook_request({"patient": {"resourceType": "Patient", **nested}}))
    assert r.status_code == 400
    _no_leak(r)


def test_body_over_1_mb_is_413(service: str) -> None:
    big = hook_request({"patient": {"resourceType": "Patient", "id": "p", "text": {"status": "generated",
                                                                                 "div": "x" * 1_100_000}}})
    r = post(service, big)
    assert r.status_code == 413
    _no_leak(r)


def test_chunked_body_without_length_over_1_mb_is_413(service: str) -> None:
    def chunks():
        yield b'{"hook": "patient-view", "pad": "'
        for _ in range(300):
            yield b"y" * 8192
        yield b'"}'

    r = httpx.post(service + SERVICE, content=chunks(), headers={"content-type": "application/json"}, timeout=10)
    assert r.status_code == 413
    _no_leak(r)


def test_a_small_chunked_body_is_answered(service: str) -> None:
    raw = json.dumps(hook_request(patients()["no_bone_data"]["prefetch"])).encode()

    def chunks():
        for i in range(0, len(raw), 100):
            yield raw[i : i + 100]

    r = httpx.post(service + SERVICE, content=chunks(), headers={"content-type": "application/json"}, timeout=10)
    assert r.status_code == 200
    assert r.json()["cards"]


def test_wrong_method_is_json_405(service: str) -> None:
    r = httpx.get(service + SERVICE, timeout=10)
    assert r.status_code == 405
    _no_leak(r)


def test_no_api_docs_are_exposed(service: str) -> None:
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert httpx.get(service + path, timeout=10).status_code == 404


def test_denosumab_stop_with_a_bisphosphonate_after_it_is_not_critical(service: str) -> None:
    import datetime as dt

    from assistant.service.examples import med_request, med_statement

    today = dt.date.today()
    pre = prefetch(
        patient("p-followed", "female", 70, today),
        [t_score("38267-1", -2.6), observation("33914-3", 60, "mL/min/1.73m2")],
        medications=[
            med_statement("993449", "denosumab", "stopped", "2021-01-01", (today - dt.timedelta(days=200)).isoformat()),
            med_request("46041", "alendronate", "active", (today - dt.timedelta(days=20)).isoformat()),
        ],
    )
    cards = post(service, hook_request(pre)).json()["cards"]
    assert not any("Denosumab" in c["summary"] for c in cards[1:])  # no critical card of its own
    assert "Denosumab was stopped and a bisphosphonate followed" in cards[0]["detail"]  # still said, as a warning
