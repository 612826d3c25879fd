"""Evidence for treating low bone mass: the seed's bullets, corrected against the sources
(facts.md §9, sources.md §10) and dated where sources disagree."""

from __future__ import annotations

from assistant.engine.knowledge.bmd import T_OSTEOPOROSIS
from assistant.engine.knowledge.intents import DECISION_INTENTS
from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import Assessment, Category, Finding, Recommendation, Section, rule
from assistant.facts import Facts

BURDEN_CITES = ["siris-2004#nora-fracture-burden", "reid-mcclung-2024#risk-not-label"]
RISEDRONATE_CITES = ["risedronate-osteopenia-2008#post-hoc"]
ZOLEDRONATE_CITES = ["reid-2018#zoledronate-osteopenia"]
NNT_CITES = ["osteopenia-review-2012#nnt", "reid-2018#zoledronate-osteopenia"]
AGE_SEVERITY_CITES = ["reid-2018#zoledronate-osteopenia", "gourlay-2012#progression-by-band"]
OLDER_AGE = threshold("older-age")  # the population of the zoledronic acid trial (Reid 2018)
ADVANCED_OSTEOPENIA_T = threshold("advanced-osteopenia-t")
THRESHOLD_DEBATE_CITES = ["bhof-2022#who-to-treat", "reid-mcclung-2024#risk-not-label", "acp-2023#osteopenia-over-65"]


SECTION = Section.EVIDENCE  # this topic's answer section (read once: enum look-ups are slow)


def _applies(f: Facts, a: Assessment) -> bool:
    """Evidence in low bone mass matters when the question is about treating low bone mass."""
    return (
        a.in_scope
        and a.intent in DECISION_INTENTS
        and a.classification.category == Category.OSTEOPENIA
        and not a.derived.uses_z_scores
    )


def _evidence(rec_id: str, cites: list[str], result: str, params: dict | None = None) -> Finding:
    return Finding(
        result=result,
        used=["t_scores"],
        recommendations=[
            Recommendation(rec_id, SECTION, rec_id, params or {}, cites)  # id, section, statement, params, citations
        ],
    )


@rule("evidence-fracture-burden", topic="evidence", cites=BURDEN_CITES)
def fracture_burden(f: Facts, a: Assessment) -> Finding | None:
    """Most fractures occur in low bone mass (NORA: 82% of women with a new fracture had T > -2.5)."""
    if not _applies(f, a):
        return None
    return _evidence("evidence-fracture-burden", BURDEN_CITES, f"NORA: 82% of fractures with T > {T_OSTEOPOROSIS}")


@rule("evidence-risedronate-post-hoc", topic="evidence", cites=RISEDRONATE_CITES)
def risedronate_post_hoc(f: Facts, a: Assessment) -> Finding | None:
    """Risedronate post hoc (FN T -1 to -2.5, no vertebral fracture): 6.9% -> 2.2%, 73% lower."""
    if not _applies(f, a):
        return None
    return _evidence("evidence-risedronate-post-hoc", RISEDRONATE_CITES, "risedronate post hoc: 6.9% -> 2.2% (73%)")


@rule("evidence-zoledronate-older-women", topic="evidence", cites=ZOLEDRONATE_CITES)
def zoledronate_older_women(f: Facts, a: Assessment) -> Finding | None:
    """Reid 2018: zoledronic acid in osteopenic women 65+: HR 0.63, NNT 15 over 6 years."""
    if not _applies(f, a):
        return None
    return _evidence(
        "evidence-zoledronate-older-women", ZOLEDRONATE_CITES, f"zoledronate {OLDER_AGE}+: HR 0.63, NNT 15"
    )


@rule("evidence-nnt-dated", topic="evidence", cites=NNT_CITES)
def nnt_dated(f: Facts, a: Assessment) -> Finding | None:
    """NNT: review 2012 (> 100 vs 10-20) and Reid 2018 (15 over 6 years), both shown with their dates."""
    if not _applies(f, a):
        return None
    return _evidence("evidence-nnt-dated", NNT_CITES, "NNT: 2012 review > 100; 2018 trial 15")


@rule("evidence-benefit-by-age-and-severity", topic="evidence", cites=AGE_SEVERITY_CITES)
def benefit_by_age(f: Facts, a: Assessment) -> Finding | None:
    """Younger women with mild osteopenia gain less than older women with T < -2.0."""
    if not _applies(f, a):
        return None
    return _evidence(
        "evidence-benefit-by-age-and-severity",
        AGE_SEVERITY_CITES,
        f"benefit larger when older and T < {ADVANCED_OSTEOPENIA_T}",
    )


@rule("evidence-threshold-debate", topic="evidence", cites=THRESHOLD_DEBATE_CITES)
def threshold_debate(f: Facts, a: Assessment) -> Finding | None:
    """Where guidance differs on the threshold for osteopenia (Reid & McClung 2024; ACP 2023)."""
    if not _applies(f, a):
        return None
    return _evidence(
        "evidence-threshold-debate", THRESHOLD_DEBATE_CITES, "other thresholds: 10-15% (2024); ACP individualised"
    )
