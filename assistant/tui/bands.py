"""Band limits for the picture, read from corpus/thresholds.yaml (never typed in here).

The picture draws the same limits the rules apply: the WHO T-score bands and the FRAX treatment thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.engine.knowledge.thresholds import threshold


@dataclass(frozen=True)
class Bands:
    normal_t: float | None  # T-score at or above which BMD is normal (WHO)
    osteoporosis_t: float | None  # T-score at or below which it is osteoporosis (WHO)
    frax_major: float | None  # % 10-year major osteoporotic fracture treatment threshold
    frax_hip: float | None  # % 10-year hip fracture treatment threshold


@lru_cache(maxsize=1)
def bands() -> Bands:
    return Bands(
        threshold("t-score-normal").value,
        threshold("t-score-osteoporosis").value,
        threshold("frax-major-treat").value,
        threshold("frax-hip-treat").value,
    )
