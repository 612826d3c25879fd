"""The JWT check, as an attacker would try it, against the real server with a key set (RS384 and ES384)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from assistant.service.examples import hook_request, patients

SERVICE = "/cds-services/bone-health"


def call(base: str, token: str | None, path: str = SERVICE, scheme: str = "Bearer") -> httpx.Response:
    headers = {} if token is None else {"Authorization": f"{scheme} {token}"}
    if path == "/cds-services":
        return httpx.get(base + path, headers=headers, timeout=10)
    return httpx.post(base + path, json=hook_request(patients()["no_bone_data"]["prefetch"]), headers=headers,
                      timeout=10)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def refused(r: httpx.Response) -> None:
    assert r.status_code == 401
    assert r.json() == {"error": "not authorised"}  # the same words whatever the reason
    assert r.headers.get("www-authenticate") == "Bearer"


def test_rs384_token_for_this_endpoint_is_accepted(secured: str, keys) -> None:
    r = call(secured, keys.token(secured + SERVICE))
    assert r.status_code == 200, r.text
    assert r.json()["cards"]


def test_es384_token_is_accepted(secured: str, keys) -> None:
    assert call(secured, keys.token(secured + SERVICE, alg="ES384")).status_code == 200


def test_discovery_needs_a_token_too(secured: str, keys) -> None:
    refused(call(secured, None, "/cds-services"))
    assert call(secured, keys.token(secured + "/cds-services"), "/cds-services").status_code == 200


def test_no_token_or_not_bearer_is_refused(secured: str, keys) -> None:
    refused(call(secured, None))
    refused(call(secured, keys.token(secured + SERVICE), scheme="Basic"))
    refused(call(secured, "not.a.jwt"))
    refused(call(secured, "x" * 20_000))


def test_expired_token_is_refused(secured: str, keys) -> None:
    now = int(time.time())
    refused(call(secured, keys.token(secured + SERVICE, exp=now - 60, iat=now - 360)))


def test_wrong_audience_is_refused(secured: str, keys) -> None:
    refused(call(secured, keys.token("https://other.example/cds-services/bone-health")))
    refused(call(secured, keys.token(secured + "/cds-services/other")))


def test_missing_jti_or_exp_is_refused(secured: str, keys) -> None:
    now = int(time.time())
    no_jti = jwt.encode({"aud": secured + SERVICE, "exp": now + 300}, keys.rsa, algorithm="RS384",
                        headers={"kid": "rsa-1"})
    refused(call(secured, no_jti))
    no_exp = jwt.encode({"aud": secured + SERVICE, "jti": "j-no-exp"}, keys.rsa, algorithm="RS384",
                        headers={"kid": "rsa-1"})
    refused(call(secured, no_exp))


def test_replayed_jti_is_refused(secured: str, keys) -> None:
    token = keys.token(secured + SERVICE, jti="replay-me-once")
    assert call(secured, token).status_code == 200
    refused(call(secured, token))
    # A new token that reuses the jti is a replay too.
    refused(call(secured, keys.token(secured + SERVICE, jti="replay-me-once")))


def test_a_token_living_longer_than_five_minutes_is_refused(secured: str, keys) -> None:
    now = int(time.time())
    refused(call(secured, keys.token(secured + SERVICE, exp=now + 3600)))  # an hour: far past the 5 minutes
    assert call(secured, keys.token(secured + SERVICE, exp=now + 290)).status_code == 200


def test_a_token_issued_in_the_future_is_refused(secured: str, keys) -> None:
    now = int(time.time())
    refused(call(secured, keys.token(secured + SERVICE, iat=now + 600, exp=now + 300)))


def test_a_clock_a_few_seconds_off_is_tolerated(secured: str, keys) -> None:
    now = int(time.time())
    # The EHR's clock 10 s ahead of ours: issued "in the future", expiring just past 5 minutes from here.
    assert call(secured, keys.token(secured + SERVICE, iat=now + 10, exp=now + 310)).status_code == 200
    # 10 s behind: the token expired 10 s ago by our clock.
    assert call(secured, keys.token(secured + SERVICE, iat=now - 300, exp=now - 10)).status_code == 200


def test_missing_iss_or_iat_is_refused(secured: str, keys) -> None:
    now = int(time.time())
    base = {"aud": secured + SERVICE, "exp": now + 300}
    for claims in ({**base, "iat": now, "jti": "no-iss"}, {**base, "iss": "https://ehr.example", "jti": "no-iat"}):
        refused(call(secured, jwt.encode(claims, keys.rsa, algorithm="RS384", headers={"kid": "rsa-1"})))


def test_only_listed_issuers_are_trusted_when_a_list_is_given(keys) -> None:
    from assistant.service.app import ServiceConfig, create_app
    from tests.service.conftest import free_port, start

    port = free_port()
    running = start(create_app(ServiceConfig(base_url=f"http://127.0.0.1:{port}", jwks=str(keys.jwks_path),
                                             issuers=("https://ehr.example",))), port=port)
    try:
        aud = running.base + SERVICE
        assert call(running.base, keys.token(aud, iss="https://ehr.example")).status_code == 200
        refused(call(running.base, keys.token(aud, iss="https://other-ehr.example")))
    finally:
        running.stop()


def test_forged_signature_is_refused(secured: str, keys) -> None:
    # Signed by a key outside the set, under the kid of a key inside it.
    refused(call(secured, keys.token(secured + SERVICE, key=keys.other_rsa, kid="rsa-1")))
    # A valid token with its payload swapped keeps a signature that no longer matches.
    good = keys.token(secured + SERVICE).split(".")
    payload = json.loads(base64.urlsafe_b64decode(good[1] + "=="))
    payload["aud"] = secured + SERVICE
    payload["jti"] = "tampered"
    refused(call(secured, ".".join([good[0], _b64(json.dumps(payload).encode()), good[2]])))


def test_alg_none_is_refused(secured: str) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": "rsa-1"}).encode())
    payload = _b64(json.dumps({"aud": secured + SERVICE, "exp": int(time.time()) + 300, "jti": "none-1"}).encode())
    refused(call(secured, f"{header}.{payload}."))


def test_hs256_with_the_public_key_as_secret_is_refused(secured: str, keys) -> None:
    public_pem = keys.rsa.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for alg, digest in (("HS256", hashlib.sha256), ("HS384", hashlib.sha384)):
        header = _b64(json.dumps({"alg": alg, "typ": "JWT", "kid": "rsa-1"}).encode())
        payload = _b64(json.dumps({"aud": secured + SERVICE, "exp": int(time.time()) + 300,
                                   "jti": f"hmac-{alg}"}).encode())
        signature = _b64(hmac.new(public_pem, f"{header}.{payload}".encode(), digest).digest())
        refused(call(secured, f"{header}.{payload}.{signature}"))


def test_rs256_signed_by_the_right_key_is_still_refused(secured: str, keys) -> None:
    # Only RS384 and ES384 are accepted, as the CDS Hooks specification asks.
    refused(call(secured, keys.token(secured + SERVICE, alg="RS256")))


def test_a_key_of_the_wrong_type_for_the_algorithm_is_refused(secured: str, keys) -> None:
    # ES384 in the header with the RSA key's kid.
    refused(call(secured, keys.token(secured + SERVICE, alg="ES384", kid="rsa-1")))


def test_refusal_comes_before_the_body_is_read_for_its_content(secured: str) -> None:
    r = httpx.post(secured + SERVICE, content=b"{not json", headers={"content-type": "application/json"}, timeout=10)
    refused(r)


@pytest.mark.parametrize("path", ["/cds-services/nope", "/docs"])
def test_unknown_paths_are_refused_without_a_token(secured: str, path: str) -> None:
    refused(httpx.get(secured + path, timeout=10))


def test_workers_share_the_memory_of_seen_jti(tmp_path) -> None:
    from assistant.service.auth import SharedReplayGuard

    path = tmp_path / "seen.sqlite"
    worker_a, worker_b = SharedReplayGuard(path), SharedReplayGuard(path)
    now = time.time()
    assert worker_a.first_use("jti-1", now + 300, now)
    assert not worker_b.first_use("jti-1", now + 300, now)  # the replay reaches the other worker
    assert worker_b.first_use("jti-2", now + 300, now)


def test_serve_with_two_workers_refuses_a_replay_on_either(assistant_cmd, keys) -> None:
    import subprocess

    from tests.service.conftest import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([*assistant_cmd, "serve", "--port", str(port), "--workers", "2", "--jwks",
                             str(keys.jwks_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/cds-services", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        token = keys.token(base + SERVICE, jti="two-workers-once")
        statuses = [call(base, token).status_code for _ in range(8)]
        assert statuses.count(200) == 1 and statuses.count(401) == 7
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def _serve(assistant_cmd: list[str], port: int, *extra: str):
    import subprocess

    proc = subprocess.Popen([*assistant_cmd, "serve", "--port", str(port), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/cds-services", timeout=2)
            return proc
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.2)


def test_two_instances_given_one_jti_db_refuse_a_replay_sent_to_the_other(assistant_cmd, keys, tmp_path) -> None:
    from tests.service.conftest import free_port

    # Two instances behind one public URL (a load balancer would be in front), one seen-jti file between them.
    public = "https://cds.example.org"
    db = str(tmp_path / "seen-jti.sqlite")
    ports = [free_port(), free_port()]
    procs = []
    try:
        for port in ports:
            procs.append(_serve(assistant_cmd, port, "--jwks", str(keys.jwks_path), "--public-url", public,
                                "--jti-db", db))
        token = keys.token(public + SERVICE, jti="one-file-two-instances")
        first, second = (call(f"http://127.0.0.1:{port}", token) for port in ports)
        assert first.status_code == 200
        refused(second)
        assert call(f"http://127.0.0.1:{ports[1]}", keys.token(public + SERVICE)).status_code == 200
    finally:
        for proc in procs:
            proc.terminate()
            proc.communicate(timeout=30)
    assert (tmp_path / "seen-jti.sqlite").exists()  # the named file is kept after the instances stop


def test_a_browser_client_from_an_allowed_origin_passes_cors_preflight(keys) -> None:
    from assistant.service.app import ServiceConfig, create_app
    from tests.service.conftest import free_port, start

    origin = "https://sandbox.example.org"
    port = free_port()
    running = start(create_app(ServiceConfig(base_url=f"http://127.0.0.1:{port}", jwks=str(keys.jwks_path),
                                             allow_origins=(origin,))), port=port)
    try:
        url = running.base + SERVICE
        pre = httpx.options(url, headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "authorization,content-type"}, timeout=10)
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == origin
        other = httpx.options(url, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
                              timeout=10)
        assert "access-control-allow-origin" not in other.headers
        r = httpx.post(url, json=hook_request(patients()["no_bone_data"]["prefetch"]), timeout=10,
                       headers={"Origin": origin, "Authorization": f"Bearer {keys.token(url)}"})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == origin
        refused(httpx.post(url, json={}, headers={"Origin": origin}, timeout=10))  # CORS is no way around the JWT
    finally:
        running.stop()
