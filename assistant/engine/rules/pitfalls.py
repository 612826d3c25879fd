"""Pitfalls: the seed answer's list, saying what the guidelines actually say (facts.md §9b)."""

from __future__ import annotations

from assistant.engine.knowledge.bmd import T_OSTEOPOROSIS
from assistant.engine.knowledge.situations import kidney_advanced
from assistant.engine.model import Assessment, Category, Finding, Recommendation, Section, rule
from assistant.facts import Facts, Intent

# Intents whose answer carries the pitfalls section (whole-plan questions).
PITFALL_INTENTS = frozenset({Intent.MANAGEMENT_OVERALL, Intent.FULL_PLAN, Intent.TREAT_OR_NOT})

T_ALONE_CITES = ["reid-mcclung-2024#risk-not-label", "bhof-2022#who-to-treat"]
UNIVERSAL_CITES = ["bhof-2022#universal-for-everyone"]
FRAX_CITES = ["bhof-2022#who-to-treat", "aace-2020#very-high-risk-list", "nogg-2022#frax-for-everyone"]
SECONDARY_CITES = ["aace-2020#evaluate-secondary-causes"]
DENOSUMAB_CITES = ["tsourdi-2021#stop-needs-follow-on"]


# Enum members the rules compare with, bound once: a read through the enum class costs about 100 ns.


def _shown(a: Assessment) -> bool:
    return a.in_scope and a.intent in PITFALL_INTENTS


SECTION = Section.PITFALLS  # this topic's answer section (read once: enum look-ups are slow)


def _pitfall(statement: str, cites: list[str], result: str, used: list[str] | None = None) -> Finding:
    return Finding(
        result=result,
        used=used or [],
        recommendations=[Recommendation(statement, SECTION, statement, {}, cites)],  # id, section, statement, ...
    )


@rule("pitfall-t-score-alone", topic="pitfalls", cites=T_ALONE_CITES)
def t_score_alone(f: Facts, a: Assessment) -> Finding | None:
    """Low bone mass (or no category yet): do not treat, or reassure, on the T-score alone."""
    if not _shown(a) or a.classification.category not in (Category.OSTEOPENIA, None):
        return None
    return _pitfall("pitfall-t-score-alone", T_ALONE_CITES, "do not treat on the T-score alone", ["t_scores"])


@rule("pitfall-universal-measures-now", topic="pitfalls", cites=UNIVERSAL_CITES)
def universal_now(f: Facts, a: Assessment) -> Finding | None:
    """Calcium, vitamin D and lifestyle measures start now, whatever the drug decision."""
    if not _shown(a):
        return None
    return _pitfall("pitfall-universal-measures-now", UNIVERSAL_CITES, "start universal measures now")


@rule("pitfall-frax-with-osteoporosis", topic="pitfalls", cites=FRAX_CITES)
def frax_with_osteoporosis(f: Facts, a: Assessment) -> Finding | None:
    """The seed's 'no FRAX when T <= -2.5' corrected: not needed to decide, still grades risk."""
    if not _shown(a) or a.derived.uses_z_scores:
        return None
    return _pitfall(
        "pitfall-frax-with-osteoporosis", FRAX_CITES, f"FRAX not needed at T <= {T_OSTEOPOROSIS}, but not forbidden"
    )


@rule("pitfall-secondary-causes", topic="pitfalls", cites=SECONDARY_CITES)
def secondary_causes(f: Facts, a: Assessment) -> Finding | None:
    """Do not skip the evaluation for secondary causes."""
    if not _shown(a):
        return None
    return _pitfall("pitfall-secondary-causes", SECONDARY_CITES, "evaluate secondary causes")


@rule("pitfall-denosumab-stop", topic="pitfalls", cites=DENOSUMAB_CITES)
def denosumab_stop(f: Facts, a: Assessment) -> Finding | None:
    """Denosumab must not simply stop (shown here unless the safety section already says it)."""
    if not _shown(a) or kidney_advanced(f):
        return None  # in CKD G4-5 or on dialysis the usual follow-ons are barred: the safety section plans it
    # Newest first: the safety and duration statements that cite it come late. Plain loops: any() over a
    # generator costs several times more per item.
    for r in reversed(a.recommendations):
        for c in r.citations:
            if c.startswith("tsourdi-2021#"):
                return None
    return _pitfall("pitfall-denosumab-stop", DENOSUMAB_CITES, "denosumab: never stop without a follow-on")
