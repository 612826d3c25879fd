"""Every clinical number the engine compares against, read from corpus/thresholds.yaml.

    from assistant.engine.knowledge.thresholds import threshold
    threshold("frax-major-treat").value                  # 20.0
    threshold("frax-major-treat", profile="aace").value  # the AACE entry when one exists, else the default
    f"FRAX major >= {threshold('frax-major-treat')}"      # "FRAX major >= 20%": traces never retype a number

An entry: `{id, value, unit, comparison, passage, profile?, note?}`. `comparison` says how the engine compares
a fact with it (">=": at or above; ">": strictly above; "<=", "<"; "=" for a dose, interval or factor).
`ASSISTANT_THRESHOLDS=FILE` reads another copy of the file (the tests change a number through it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from assistant.datafiles import corpus_file, parse_yaml_file

THRESHOLDS_FILE = corpus_file("thresholds.yaml")
COMPARISONS = frozenset({">=", ">", "<=", "<", "="})
PROFILES = frozenset({"us", "aace", "acp", "endocrine"})


class ThresholdError(Exception):
    """corpus/thresholds.yaml is unreadable, or an entry is incomplete or unknown."""


@dataclass(frozen=True, slots=True)
class Threshold:
    id: str
    value: float
    unit: str
    comparison: str
    passage: str
    profile: str | None = None
    note: str | None = None
    text: str = field(default="", compare=False, repr=False)  # how traces write it (made by load_thresholds)

    def __str__(self) -> str:
        """The number as traces write it: T- and Z-scores with one decimal, percentages with "%", others bare."""
        return self.text or written(self.value, self.unit)

    def __format__(self, spec: str) -> str:
        """`f"{t}"` in a trace: the same text (made once, since traces format some thresholds every turn)."""
        return format(str(self), spec) if spec else self.text or written(self.value, self.unit)


def written(value: float, unit: str) -> str:
    """A threshold's number as traces write it: T- and Z-scores with one decimal, percentages with "%"."""
    if unit in ("T-score", "Z-score"):
        return f"{value:.1f}"
    return f"{value:g}%" if unit == "%" else f"{value:g}"


def thresholds_path() -> Path:
    return Path(os.environ.get("ASSISTANT_THRESHOLDS") or THRESHOLDS_FILE)


def load_thresholds(path: Path) -> dict[tuple[str, str | None], Threshold]:
    """Read and check a thresholds file: (id, profile or None) -> Threshold. Raises ThresholdError."""
    try:
        raw = parse_yaml_file(path)
    except Exception as exc:  # OSError, UnicodeDecodeError, yaml.YAMLError
        raise ThresholdError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(raw, list):
        raise ThresholdError(f"{path}: must be a list of thresholds")
    table: dict[tuple[str, str | None], Threshold] = {}
    for n, entry in enumerate(raw, 1):
        where = f"{path}: entry {n}"
        if not isinstance(entry, dict):
            raise ThresholdError(f"{where}: must be a mapping")
        missing = [k for k in ("id", "value", "unit", "comparison", "passage") if entry.get(k) in (None, "")]
        if missing:
            raise ThresholdError(f"{where} ({entry.get('id')}): missing {', '.join(missing)}")
        unknown = set(entry) - {"id", "value", "unit", "comparison", "passage", "profile", "note"}
        if unknown:
            raise ThresholdError(f"{where} ({entry['id']}): unknown key(s) {', '.join(sorted(unknown))}")
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ThresholdError(f"{where} ({entry['id']}): value must be a number")
        if entry["comparison"] not in COMPARISONS:
            raise ThresholdError(f"{where} ({entry['id']}): comparison must be one of {sorted(COMPARISONS)}")
        profile = entry.get("profile")
        if profile is not None and profile not in PROFILES:
            raise ThresholdError(f"{where} ({entry['id']}): unknown profile {profile!r}")
        key = (str(entry["id"]), profile)
        if key in table:
            raise ThresholdError(f"{where}: {entry['id']} defined twice" + (f" for {profile}" if profile else ""))
        table[key] = Threshold(
            id=key[0],
            value=value,
            unit=str(entry["unit"]),
            comparison=entry["comparison"],
            passage=str(entry["passage"]),
            profile=profile,
            note=entry.get("note"),
            text=written(value, str(entry["unit"])),
        )
    for tid, profile in table:
        if profile is not None and (tid, None) not in table:
            raise ThresholdError(f"{path}: {tid} has a {profile} entry but no default entry")
    return table


@cache
def _table() -> dict[tuple[str, str | None], Threshold]:
    return load_thresholds(thresholds_path())


def threshold(threshold_id: str, profile: str | None = None) -> Threshold:
    """The threshold `threshold_id` (the profile's own entry when it has one). Raises ThresholdError if unknown."""
    table = _table()
    found = table.get((threshold_id, profile)) if profile else None
    if found is None:
        found = table.get((threshold_id, None))
    if found is None:
        raise ThresholdError(f"unknown threshold {threshold_id!r} (not in {thresholds_path()})")
    return found


def all_thresholds() -> list[Threshold]:
    """Every entry of the file, in its order."""
    return list(_table().values())


# threshold(<quoted id>, ...) in source code and templates, for `assistant corpus check`.
_REFERENCE = re.compile(r"""\bthreshold\(\s*["']([a-z0-9-]+)["']""")


def referenced_ids(text: str) -> set[str]:
    """Threshold ids named literally in a piece of code or template text."""
    return set(_REFERENCE.findall(text))


def check_thresholds(path: Path, passages: Collection[str], used: Iterable[str]) -> list[str]:
    """Problems with a thresholds file: unreadable or incomplete entries (a missing unit, ...), passages that do
    not exist, and ids that code, templates or profiles name but the file does not define."""
    try:
        table = load_thresholds(path)
    except ThresholdError as exc:
        return [str(exc)]
    problems = [
        f"{path}: threshold {t.id!r} cites unknown passage {t.passage!r}"
        for t in table.values()
        if t.passage not in passages
    ]
    defined = {tid for tid, _ in table}
    problems += [f"unknown threshold {tid!r} (not in {path})" for tid in sorted(set(used) - defined)]
    return problems
