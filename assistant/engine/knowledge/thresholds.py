"""Every clinical number in one place: corpus/thresholds.yaml, read once, each entry citing its passage."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

THRESHOLDS_FILE = Path(__file__).resolve().parents[3] / "corpus" / "thresholds.yaml"


@dataclass(frozen=True, slots=True)
class Threshold:
    id: str
    value: float
    unit: str
    comparison: str
    passage: str
    profile: str | None = None
    note: str | None = None


@lru_cache(maxsize=1)
def all_thresholds() -> dict[str, Threshold]:
    data = yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8")) or {}
    out: dict[str, Threshold] = {}
    for entry in data.get("thresholds", []):
        t = Threshold(**entry)
        if t.id in out:
            raise ValueError(f"{THRESHOLDS_FILE}: duplicate threshold {t.id!r}")
        out[t.id] = t
    return out


def threshold(tid: str) -> Threshold:
    """The threshold `tid` (KeyError names it when it is not in corpus/thresholds.yaml)."""
    return all_thresholds()[tid]
