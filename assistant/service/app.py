"""The ASGI app (FastAPI): discovery, the patient-view service, and the guards around them.

Order of the guards for every request: the body limit (1 MB, counted as it arrives, so a chunked
body without a length is stopped too: 413), then the JWT check when a key set is configured (401,
with no reason given), then the route (404 for an unknown service, 400 with a JSON error for bad
JSON or invalid FHIR). Any other failure is a JSON 500 without a traceback. Nothing about a patient
is logged unless `log_patient` is set. No state is kept between calls except the seen-jti memory.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.service.auth import ReplayGuard, SharedReplayGuard, Verifier, load_jwks
from assistant.service.hook import SERVICE_ID, HookError, answer_hook, discovery, parse_request

MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 64
log = logging.getLogger("assistant.service")


@dataclass(frozen=True)
class ServiceConfig:
    base_url: str = "http://127.0.0.1:8088"  # the service's public URL: JWT audiences are made from it
    jwks: str | None = None
    replay_db: str | None = None  # a SQLite file shared by the workers for seen jti values (None: per process)
    issuers: tuple[str, ...] = ()  # the JWT `iss` values trusted (empty: any issuer whose key is in the set)
    profile: str = "us"
    log_patient: bool = False
    allow_origins: tuple[str, ...] = ()  # browser-based CDS clients (a sandbox) allowed by CORS; none by default


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class BodyLimit:
    """Pure ASGI middleware: refuses a body over `limit` bytes with 413, whether or not it says its length."""

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.isdigit():  # bytes: ASCII digits only (bytes has no isdecimal; '³' is not b'3')
                    await _send(send, 400, "bad Content-Length")
                    return
                if int(value) > self.limit:
                    await _send(send, 413, f"request body over {self.limit} bytes")
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await _send(send, 413, f"request body over {self.limit} bytes")
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        delivered = False

        async def replay() -> dict:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _send(send: Any, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def json_depth_ok(data: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether nested lists and objects go no deeper than `limit` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def create_app(config: ServiceConfig | None = None) -> Any:
    config = config or ServiceConfig()
    verifier = None
    if config.jwks:
        guard = SharedReplayGuard(config.replay_db) if config.replay_db else ReplayGuard()
        verifier = Verifier(load_jwks(config.jwks), guard, config.issuers)
    base = config.base_url.rstrip("/")
    if not config.log_patient:
        # httpx logs each fetched URL at INFO, and a FHIR URL names the patient: keep it quiet unless asked.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpcore").setLevel(logging.WARNING)
    if config.log_patient and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, title="Guideline assistant CDS Hooks service")

    if verifier is not None:

        @api.middleware("http")
        async def authenticate(request: Request, call_next: Any) -> Any:
            if not verifier.check(request.headers.get("authorization"), base + request.url.path):
                return _error(401, "not authorised", {"WWW-Authenticate": "Bearer"})
            return await call_next(request)

    if config.allow_origins:
        from starlette.middleware.cors import CORSMiddleware

        # Added last, so it runs first: a browser's preflight (which carries no token) is answered before the JWT check.
        api.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.allow_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "not found", 405: "method not allowed"}
        return _error(exc.status_code, messages.get(exc.status_code, "request refused"))

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, _exc: RequestValidationError) -> JSONResponse:
        return _error(400, "invalid request")

    @api.exception_handler(Exception)
    async def internal(_request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error: %s", type(exc).__name__)
        return _error(500, "internal error")

    @api.get("/cds-services")
    async def services() -> JSONResponse:
        return JSONResponse(discovery())

    @api.post("/cds-services/{service_id}")
    async def call(service_id: str, request: Request) -> JSONResponse:
        if service_id != SERVICE_ID:
            return _error(404, "no such service")
        raw = await request.body()
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return _error(400, "malformed JSON")
        if not json_depth_ok(body):
            return _error(400, f"JSON nested deeper than {MAX_JSON_DEPTH}")
        try:
            req = parse_request(body)
            fetched, notes = {}, []
            if req.fhirServer and req.fhirAuthorization is not None:
                from assistant.service.fhir_client import fetch_missing

                fetched, notes = await fetch_missing(req)
            result = answer_hook(req, config.profile, fetched, notes)
        except HookError as exc:
            return _error(400, str(exc))
        except RecursionError:
            return _error(400, "invalid FHIR: nested too deep")
        except Exception as exc:  # noqa: BLE001 - our bug, not the client's: a bare 500, no traceback in any log
            log.error("internal error: %s", type(exc).__name__)
            return _error(500, "internal error")
        if config.log_patient:
            log.info("cards for %s: %s", req.context.patientId, [c["summary"] for c in result["cards"]])
        return JSONResponse(result)

    return BodyLimit(api)


ENV_PREFIX = "ASSISTANT_SERVICE_"


def config_from_env() -> ServiceConfig:
    env = os.environ
    return ServiceConfig(
        base_url=env.get(ENV_PREFIX + "BASE_URL", ServiceConfig.base_url),
        jwks=env.get(ENV_PREFIX + "JWKS") or None,
        replay_db=env.get(ENV_PREFIX + "REPLAY_DB") or None,
        profile=env.get(ENV_PREFIX + "PROFILE", "us"),
        log_patient=env.get(ENV_PREFIX + "LOG_PATIENT") == "1",
        allow_origins=tuple(o for o in env.get(ENV_PREFIX + "ALLOW_ORIGINS", "").split(",") if o),
        issuers=tuple(i for i in env.get(ENV_PREFIX + "ISSUERS", "").split("\n") if i),
    )


def warm_up(profile: str) -> None:
    """Answer one synthetic patient once, so this worker's first EHR call does not pay for the lazy loading
    of corpus, statements, templates and FHIR models (about 100 ms, against about 1.5 ms a call after it)."""
    from assistant.service.examples import hook_request, patients

    for example in patients().values():
        answer_hook(parse_request(hook_request(example["prefetch"])), profile)


def app_from_env() -> Any:
    """The factory uvicorn imports in each worker (the configuration travels in the environment)."""
    config = config_from_env()
    app = create_app(config)
    warm_up(config.profile)
    return app
