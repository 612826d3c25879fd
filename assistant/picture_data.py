"""The data behind the picture: T-scores per site against the WHO bands, FRAX against the thresholds.

Both drawings use it: the terminal app's (assistant/tui/picture.py, characters) and the handout's
(assistant/handout_svg.py, inline SVG), so they always show the same values against the same limits.
Every limit is looked up from the engine's named constants (never typed in here); a limit the engine
does not define is None and the drawings then say so instead of guessing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.facts import Facts

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

    def band(self, t: float) -> str | None:
        """'osteoporosis', 'low' or 'normal' for a T-score; None when a limit is unknown."""
        if self.osteoporosis_t is not None and t <= self.osteoporosis_t:
            return "osteoporosis"
        if self.normal_t is None:
            return None
        return "low" if t < self.normal_t else "normal"


@lru_cache(maxsize=1)
def bands() -> Bands:
    return Bands(_lookup(_NORMAL_T), _lookup(_OSTEOPOROSIS_T), _lookup(_FRAX_MAJOR), _lookup(_FRAX_HIP))


@dataclass(frozen=True)
class TScoreRow:
    site: str  # the site's label ("femoral neck", "site not given")
    value: float
    band: str | None  # Bands.band(value)


@dataclass(frozen=True)
class FraxRow:
    name: str  # "major" or "hip"
    value: float
    limit: float | None  # the treatment threshold, None when the engine defines none

    @property
    def over(self) -> bool:
        return self.limit is not None and self.value >= self.limit


def t_score_rows(f: Facts, b: Bands | None = None) -> list[TScoreRow]:
    """Each stated T-score, in the sites' order, with its WHO band."""
    from assistant.facts import Site
    from assistant.render import label

    b = b or bands()
    rows = [TScoreRow(label("sites", s.value), f.t_scores[s], b.band(f.t_scores[s])) for s in Site if s in f.t_scores]
    if f.t_score_unsited is not None:
        rows.append(TScoreRow("site not given", f.t_score_unsited, b.band(f.t_score_unsited)))
    return rows


def frax_rows(f: Facts, b: Bands | None = None) -> list[FraxRow]:
    """FRAX major and hip as given, each with its treatment threshold."""
    b = b or bands()
    if f.frax is None:
        return []
    pairs = (("major", f.frax.major, b.frax_major), ("hip", f.frax.hip, b.frax_hip))
    return [FraxRow(name, value, limit) for name, value, limit in pairs if value is not None]
