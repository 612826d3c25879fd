"""Score answers against a labelled set the way the shared evaluation does (facts F1 over the scored fields,
decision agreement over the items with a yes / no / conditional label), without running a subprocess."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SITES = ("femoral_neck", "total_hip", "lumbar_spine", "forearm_33")
SCALARS = ("age", "sex", "menopause", "prior_fragility_fracture", "glucocorticoids", "egfr", "vitamin_d")
DECISIONS = ("yes", "no", "conditional")
PROBES = Path(__file__).with_name("probes.jsonl")


def load(path: Path = PROBES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def flatten(facts: dict) -> dict:
    """Gold or predicted facts -> {field: value}, only the scored fields that are known."""
    out = {k: facts[k] for k in SCALARS if facts.get(k) is not None}
    for kind in ("t_scores", "z_scores"):
        for site, value in (facts.get(kind) or {}).items():
            if site in SITES and value is not None:
                out[f"{kind}.{site}"] = value
    frax = facts.get("frax") or {}
    for key in ("major", "hip"):
        if frax.get(key) is not None:
            out[f"frax.{key}"] = frax[key]
    return out


def same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 0.051
    return str(a).strip().lower() == str(b).strip().lower()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    agreed: int = 0
    judged: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def agreement(self) -> float:
        return self.agreed / self.judged if self.judged else 1.0


def score(items: list[dict], answers: list[dict]) -> Score:
    s = Score()
    per_field: Counter[str] = Counter()
    for item, answer in zip(items, answers, strict=True):
        gold, got = flatten(item.get("facts") or {}), flatten(answer.get("facts") or {})
        for name in sorted(set(gold) | set(got)):
            if name in gold and name in got and same(gold[name], got[name]):
                s.tp += 1
                continue
            s.fn += name in gold
            s.fp += name in got
            per_field[name] += 1
            s.misses.append(f"{item['id']} {name}: want {gold.get(name)!r} got {got.get(name)!r}")
        want = (item.get("expected") or {}).get("pharmacologic_treatment")
        if want in DECISIONS:
            have = (answer.get("decision") or {}).get("pharmacologic_treatment")
            s.judged += 1
            s.agreed += have == want
            if have != want:
                s.misses.append(f"{item['id']} decision: want {want!r} got {have!r}")
    return s
