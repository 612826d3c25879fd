"""The values many rules read, derived from the facts once per assessment (assess() makes them)."""

from __future__ import annotations

from assistant.engine.knowledge.bmd import uses_z_scores
from assistant.engine.knowledge.drugs import canonical, current
from assistant.engine.knowledge.frax import adjusted_frax
from assistant.engine.model import Derived
from assistant.facts import Facts, Status


def derive(f: Facts) -> Derived:
    """Lowest T-score, the Z-score rule, the drugs taken now and ever, and FRAX as adjusted."""
    return Derived(
        lowest_t=f.lowest_t(),
        uses_z_scores=uses_z_scores(f),
        current=tuple(current(f)),
        taken=frozenset(canonical(m.name) for m in f.medications if m.status in (Status.AFFIRMED, Status.HISTORICAL)),
        frax=adjusted_frax(f),
    )
