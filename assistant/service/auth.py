"""The CDS Hooks JWT check: a bearer token signed by a key of the configured JSON Web Key Set.

Accepted only when (CDS Hooks 2.0, "Trusting CDS Clients"): the header names RS384 or ES384 (never
`none`, never an HMAC algorithm, so a public key can never be used as a shared secret), a key of the
set verifies the signature, `aud` is this endpoint's URL, `iss`, `iat`, `exp` and `jti` are all there,
`exp` is in the future but no more than MAX_LIFETIME_S ahead (the five minutes the first CDS Hooks
security text set, and SMART Backend Services still sets, for such tokens), `iat` is not in the future,
`iss` is one of the trusted issuers when a list is configured, and `jti` has not been seen before
(replays are refused until the token would have expired anyway). Clocks may differ by LEEWAY_S.
Keys come only from the configured JWK Set: a `jku` header is never fetched (the spec lets the set be
shared out of band). `tenant` is optional and not used. Any failure is one answer: not authorised; the
reason is never told to the caller.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import jwt
from jwt import PyJWK, PyJWKSet

ALGORITHMS = ("RS384", "ES384")
LEEWAY_S = 30  # clock skew allowed between the EHR and this service, on exp and iat
MAX_LIFETIME_S = 300  # a token may expire at most this long after it reaches us (five minutes, plus the skew)
MAX_TOKEN_CHARS = 16_384
MAX_REMEMBERED = 100_000  # jti values remembered at once; past this, new tokens are refused until old ones expire


class JwksError(ValueError):
    """The --jwks file cannot be used (unreadable, not a JWK Set, no RS384/ES384-capable key)."""


def load_jwks(path: str | Path) -> list[PyJWK]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        keys = PyJWKSet.from_dict(data).keys
    except (OSError, UnicodeDecodeError, ValueError, jwt.PyJWTError, TypeError, KeyError) as exc:
        raise JwksError(f"cannot use {path} as a JSON Web Key Set: {exc}") from None
    usable = [k for k in keys if k.key_type in ("RSA", "EC")]
    if not usable:
        raise JwksError(f"{path}: no RSA or EC key")
    return usable


class ReplayGuard:
    """Remembers each accepted jti until its token's expiry (per process)."""

    def __init__(self, limit: int = MAX_REMEMBERED) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._limit = limit

    def first_use(self, jti: str, exp: float, now: float) -> bool:
        with self._lock:
            if len(self._seen) >= self._limit:
                self._seen = {k: v for k, v in self._seen.items() if v + LEEWAY_S >= now}
                if len(self._seen) >= self._limit:
                    return False
            if jti in self._seen:
                return False
            self._seen[jti] = exp
            return True


class SharedReplayGuard(ReplayGuard):
    """The same memory shared by every worker of one service: a SQLite file whose primary key makes the
    first use of a jti atomic across processes (a replay sent to another worker is refused too)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        import sqlite3

        self._db = sqlite3.connect(str(path), timeout=5, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS seen (jti TEXT PRIMARY KEY, exp REAL NOT NULL)")
        self._inserts = 0

    def first_use(self, jti: str, exp: float, now: float) -> bool:
        with self._lock:
            self._inserts += 1
            if self._inserts % 1000 == 0:
                self._db.execute("DELETE FROM seen WHERE exp + ? < ?", (LEEWAY_S, now))
            cursor = self._db.execute("INSERT OR IGNORE INTO seen (jti, exp) VALUES (?, ?)", (jti, exp))
            return cursor.rowcount == 1


class Verifier:
    def __init__(self, keys: list[PyJWK], guard: ReplayGuard | None = None, issuers: tuple[str, ...] = ()) -> None:
        self.keys = keys
        self.guard = guard or ReplayGuard()
        self.issuers = frozenset(issuers)  # empty: any issuer whose key is in the set

    def check(self, authorization: str | None, audience: str) -> bool:
        """Whether the Authorization header value carries an acceptable token for `audience`."""
        try:
            return self._check(authorization, audience)
        except Exception:  # noqa: BLE001 - any failure of any kind is "not authorised", never a 500
            return False

    def _check(self, authorization: str | None, audience: str) -> bool:
        if not authorization or len(authorization) > MAX_TOKEN_CHARS + 7:
            return False
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        token = token.strip()
        header = jwt.get_unverified_header(token)
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            return False
        kid = header.get("kid")
        wanted = "RSA" if alg.startswith("RS") else "EC"
        candidates = [k for k in self.keys if k.key_type == wanted and (kid is None or k.key_id == kid)]
        for key in candidates:
            claims = self._decode(token, key, alg, audience)
            if claims is None:
                continue
            jti, exp, iss = claims.get("jti"), claims.get("exp"), claims.get("iss")
            if not isinstance(jti, str) or not jti or len(jti) > 512 or not isinstance(exp, int | float):
                return False
            if not isinstance(iss, str) or not iss or (self.issuers and iss not in self.issuers):
                return False
            now = time.time()
            if exp > now + MAX_LIFETIME_S + LEEWAY_S:
                return False  # longer-lived than a CDS Hooks token should be: also bounds the replay memory
            return self.guard.first_use(jti, float(exp), now)
        return False

    @staticmethod
    def _decode(token: str, key: PyJWK, alg: str, audience: str) -> dict[str, Any] | None:
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[alg],
                audience=audience,
                leeway=LEEWAY_S,
                options={"require": ["exp", "iat", "iss", "aud", "jti"], "verify_signature": True, "verify_iat": True},
            )
        except jwt.PyJWTError:
            return None
        return claims if isinstance(claims, dict) else None
