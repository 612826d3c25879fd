"""Fetching what the prefetch lacks from the EHR's FHIR server (the request's fhirServer, with its token).

Bounded: a timeout per call, a cap on each response's size, only http(s) URLs, and the patient id is
checked as a FHIR id before it goes into a URL. A failure is a note on the card, never an error.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import httpx

from assistant.service.hook import HookRequest, missing_keys, prefetch_templates

TIMEOUT_S = 5.0
MAX_RESPONSE_BYTES = 4 * 1024 * 1024


def _query(template: str, patient_id: str) -> str:
    return template.replace("{{context.patientId}}", patient_id)


async def fetch_missing(req: HookRequest, client: httpx.AsyncClient | None = None) -> tuple[dict[str, Any], list[str]]:
    """(resources by prefetch key, notes on what could not be fetched)."""
    wanted = missing_keys(req)
    if not wanted or not req.fhirServer or req.fhirAuthorization is None:
        return {}, []
    base = req.fhirServer.rstrip("/")
    if urlsplit(base).scheme not in ("http", "https"):
        return {}, ["fhirServer is not an http(s) URL: nothing fetched"]
    headers = {
        "Authorization": f"Bearer {req.fhirAuthorization.access_token}",
        "Accept": "application/fhir+json",
    }
    templates = prefetch_templates()
    out: dict[str, Any] = {}
    notes: list[str] = []
    own = client is None
    client = client or httpx.AsyncClient(timeout=TIMEOUT_S, follow_redirects=False)
    try:
        for key in wanted:
            url = f"{base}/{_query(templates[key], req.context.patientId)}"
            try:
                data = await _get_json(client, url, headers)
            except (httpx.HTTPError, ValueError) as exc:
                notes.append(f"{key}: could not be fetched from the FHIR server ({type(exc).__name__})")
                continue
            out[key] = data
    finally:
        if own:
            await client.aclose()
    return out, notes


async def _get_json(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> Any:
    async with client.stream("GET", url, headers=headers, timeout=TIMEOUT_S) as response:
        if response.status_code != 200:
            raise ValueError(f"status {response.status_code}")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > MAX_RESPONSE_BYTES:
                raise ValueError("response too large")
    return json.loads(bytes(body))
