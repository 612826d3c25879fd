"""Which questions get a treatment decision, and when the facts are about this patient."""

from __future__ import annotations

from assistant.engine.knowledge.fractures import fracture_sites
from assistant.facts import Facts, Intent

# Intents whose answer includes the treatment decision; the others get "n/a" unless the facts
# carry patient-specific bone density, FRAX or fracture data.
DECISION_INTENTS = frozenset(
    {
        Intent.MANAGEMENT_OVERALL,
        Intent.TREAT_OR_NOT,
        Intent.GLUCOCORTICOID,
        Intent.FACTS_ONLY,
        Intent.FULL_PLAN,
        Intent.WHY,
        Intent.MISSING_FACTS,
        Intent.COMPARE,
    }
)


def patient_specific(f: Facts) -> bool:
    """The facts carry this patient's bone density, FRAX or fracture data."""
    return bool(
        f.t_scores
        or f.z_scores
        or f.t_score_unsited is not None
        or f.z_score_unsited is not None
        or (f.frax is not None and (f.frax.major is not None or f.frax.hip is not None))
        or f.prior_fragility_fracture is True
        or fracture_sites(f)
    )
