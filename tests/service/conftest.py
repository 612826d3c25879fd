"""Real servers on 127.0.0.1 for the service tests: the CDS Hooks app on uvicorn in a thread (with and
without a key set), a small FHIR server stub for the fetch path, and the keys to sign tokens with."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("jwt")

import jwt  # noqa: E402
import uvicorn  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402

from assistant.service.app import ServiceConfig, create_app  # noqa: E402


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Running:
    base: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(app: Any, port: int | None = None) -> Running:
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return Running(f"http://127.0.0.1:{port}", server, thread)


@pytest.fixture(scope="session")
def service() -> Iterator[str]:
    """The service without a key set (loopback, unauthenticated): its base URL."""
    running = start(create_app(ServiceConfig()))
    yield running.base
    running.stop()


@dataclass
class Keys:
    rsa: Any
    ec: Any
    jwks_path: Path
    other_rsa: Any  # not in the key set: a forger's key

    def token(self, aud: str, *, alg: str = "RS384", kid: str | None = None, key: Any = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": "https://ehr.example", "aud": aud, "exp": now + 300, "iat": now,
                   "jti": f"jti-{time.monotonic_ns()}", **claims}
        signer = key or (self.rsa if alg.startswith("RS") else self.ec)
        kid = kid or ("rsa-1" if alg.startswith("RS") else "ec-1")
        return jwt.encode(payload, signer, algorithm=alg, headers={"kid": kid})


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP384R1())
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key()))
    rsa_jwk.update(kid="rsa-1", alg="RS384", use="sig")
    ec_jwk.update(kid="ec-1", alg="ES384", use="sig")
    path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps({"keys": [rsa_jwk, ec_jwk]}), encoding="utf-8")
    return Keys(rsa_key, ec_key, path, other)


@pytest.fixture(scope="session")
def secured(keys: Keys) -> Iterator[str]:
    """The service with a key set: its base URL (also its configured public URL, so audiences match)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    running = start(create_app(ServiceConfig(base_url=base, jwks=str(keys.jwks_path))), port)
    yield running.base
    running.stop()


@dataclass
class FhirStub:
    base: str
    resources: dict[str, Any]  # path prefix ("Patient/p-1", "Observation") -> JSON to answer
    seen: list[tuple[str, str | None]] = field(default_factory=list)  # (path with query, Authorization)


@pytest.fixture
def fhir_stub() -> Iterator[FhirStub]:
    """A FHIR server stub on loopback: answers GETs from `resources` by path, records each request."""
    stub = FhirStub(base="", resources={})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            stub.seen.append((self.path, self.headers.get("Authorization")))
            path = urlsplit(self.path).path.removeprefix("/fhir/")
            body = None
            for prefix, value in stub.resources.items():
                if path == prefix or path.startswith(prefix + "?") or path == prefix.split("?")[0]:
                    body = value
                    break
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            self.send_response(200)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.base = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
    server.server_close()
