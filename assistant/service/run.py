"""`assistant serve`: the service on uvicorn, one process or several workers.

Without --jwks the service answers unauthenticated calls, so it listens on loopback only and says so
at start. The configuration reaches every worker through the environment (uvicorn starts workers by
importing `assistant.service.app:app_from_env`).
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import sys
import tempfile
from typing import Any

from assistant.service.app import ENV_PREFIX

MAX_IN_FLIGHT = 256


class ServeError(ValueError):
    """A configuration the service refuses to start with."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str = "127.0.0.1",
    port: int = 8088,
    workers: int = 1,
    jwks: str | None = None,
    public_url: str | None = None,
    profile: str = "us",
    log_patient: bool = False,
    access_log: bool = False,
    allow_origins: tuple[str, ...] = (),
    jti_db: str | None = None,
    issuers: tuple[str, ...] = (),
) -> int:
    if not 1 <= workers <= 64:
        raise ServeError("--workers must be 1 to 64")
    if not 0 <= port <= 65535:
        raise ServeError("--port must be 0 to 65535")
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise ServeError(f"--public-url must be an http(s) URL, not {public_url[:80]!r}")
    for origin in allow_origins:
        if not origin.startswith(("http://", "https://")) or "," in origin:
            raise ServeError(f"--allow-origin wants an origin such as https://sandbox.example.org, not {origin[:80]!r}")
    for issuer in issuers:
        if not issuer.strip() or "\n" in issuer:
            raise ServeError(f"--issuer wants the EHR's issuer URI, not {issuer[:80]!r}")
    if jti_db is not None and (jwks is None or not os.path.isdir(os.path.dirname(os.path.abspath(jti_db)))):
        raise ServeError("--jti-db needs --jwks and a file in an existing directory")
    if jwks is None and not is_loopback(host):
        raise ServeError(
            f"without --jwks calls are not authenticated, so the service listens on loopback only (not {host})"
        )
    if jwks is not None:
        from assistant.service.auth import JwksError, load_jwks

        try:
            load_jwks(jwks)
        except JwksError as exc:
            raise ServeError(str(exc)) from None
    shown_host = f"[{host}]" if ":" in host else host
    base = (public_url or f"http://{shown_host}:{port}").rstrip("/")
    os.environ[ENV_PREFIX + "BASE_URL"] = base
    os.environ[ENV_PREFIX + "PROFILE"] = profile
    os.environ[ENV_PREFIX + "LOG_PATIENT"] = "1" if log_patient else "0"
    os.environ[ENV_PREFIX + "ALLOW_ORIGINS"] = ",".join(o.rstrip("/") for o in allow_origins)
    os.environ[ENV_PREFIX + "ISSUERS"] = "\n".join(issuers)
    temporary: str | None = None
    if jwks is not None:
        os.environ[ENV_PREFIX + "JWKS"] = os.path.abspath(jwks)
        # Every worker of this service shares one memory of seen jti values (a replay to another worker fails);
        # instances on one host share it too when they are given the same --jti-db file.
        if jti_db is None:
            temporary = tempfile.mkdtemp(prefix="assistant-serve-")
            jti_db = os.path.join(temporary, "seen-jti.sqlite")
        os.environ[ENV_PREFIX + "REPLAY_DB"] = os.path.abspath(jti_db)
    else:
        os.environ.pop(ENV_PREFIX + "JWKS", None)
        print(
            "assistant serve: WARNING: no --jwks given: calls are NOT authenticated (listening on loopback only)",
            file=sys.stderr,
        )
    print(f"assistant serve: CDS Hooks discovery at {base}/cds-services ({workers} worker(s), profile {profile})",
          file=sys.stderr, flush=True)
    import uvicorn

    try:
        _run(uvicorn, host, port, workers, log_patient, access_log)
    finally:
        if temporary is not None:  # only the directory made for this start; a --jti-db file is kept
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


def _run(uvicorn: Any, host: str, port: int, workers: int, log_patient: bool, access_log: bool) -> None:
    uvicorn.run(
        "assistant.service.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info" if log_patient else "warning",
        access_log=access_log,
        server_header=False,
        limit_concurrency=MAX_IN_FLIGHT,  # past this many calls at once per worker: 503, not an ever-longer queue
    )
