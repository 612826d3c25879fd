"""Band limits for the picture, read from the engine's named constants (never typed in here).

The engine owns every clinical number. This module only looks the constants up by name, so the
picture draws the same limits the rules apply; a limit the engine does not (yet) define is None and
the picture then says so instead of guessing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

# (module, constant) candidates, first found wins.
_NORMAL_T = (("assistant.engine.diagnosis", "NORMAL_T_MIN"), ("assistant.engine.workup", "NORMAL_T"))
_OSTEOPOROSIS_T = (("assistant.engine.diagnosis", "OSTEOPOROSIS_T_MAX"),)
_FRAX_MAJOR = (("assistant.engine.decision", "FRAX_MAJOR_THRESHOLD"),)
_FRAX_HIP = (("assistant.engine.decision", "FRAX_HIP_THRESHOLD"),)


def _lookup(candidates: tuple[tuple[str, str], ...]) -> float | None:
    for module, name in candidates:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        value = getattr(mod, name, None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


@dataclass(frozen=True)
class Bands:
    normal_t: float | None  # T-score at or above which BMD is normal (WHO)
    osteoporosis_t: float | None  # T-score at or below which it is osteoporosis (WHO)
    frax_major: float | None  # % 10-year major osteoporotic fracture treatment threshold
    frax_hip: float | None  # % 10-year hip fracture treatment threshold


@lru_cache(maxsize=1)
def bands() -> Bands:
    return Bands(_lookup(_NORMAL_T), _lookup(_OSTEOPOROSIS_T), _lookup(_FRAX_MAJOR), _lookup(_FRAX_HIP))
