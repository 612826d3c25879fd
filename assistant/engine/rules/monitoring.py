"""Monitoring: DXA on treatment, the repeat interval for untreated low bone mass (Gourlay 2012), and what
counts as a real change (ISCD least significant change).

Left out as [U] (sources.md §8.2): BHOF "1-2 years after starting or changing therapy"; the ACR 2022 BMD
interval on glucocorticoids; ISCD per-site minimum precision figures.
"""

from __future__ import annotations

from assistant.engine.knowledge.drugs import TREATMENT_DECISIONS
from assistant.engine.knowledge.thresholds import Threshold, threshold
from assistant.engine.model import (
    Assessment,
    Category,
    Decision,
    Finding,
    Section,
    rule,
    section_recommendation,
)
from assistant.facts import Facts, FractureSite, Intent, Sex, Site

ENDO = "endo-2019#bmd-monitoring"
ACP = "acp-2017#no-monitoring"
GOURLAY = "gourlay-2012#testing-interval"
DISPUTE = "gourlay-2012#dispute"
LSC = "iscd-2019#least-significant-change"
ACR = "acr-2022#reassess-on-glucocorticoids"

# On treatment: Endocrine Society 2019, BMD every 1-3 years; ACP 2017, no BMD monitoring in the first 5 years.
ENDO_MIN_YEARS = threshold("endocrine-dxa-interval-min")
ENDO_MAX_YEARS = threshold("endocrine-dxa-interval-max")
ACP_NO_MONITORING_YEARS = threshold("acp-no-monitoring")

# Gourlay 2012: bands of the lowest of femoral neck and total hip T-score (two decimals), each with the years
# for 10% to reach osteoporosis, the paper's and rounded (corpus/thresholds.yaml: gourlay-<band>-...).
GOURLAY_OSTEOPOROSIS_T = threshold("gourlay-osteoporosis-t")  # no repeat interval at or below it
GOURLAY_BANDS: tuple[tuple[str, Threshold | None, Threshold, Threshold], ...] = tuple(
    (
        band,
        threshold(f"gourlay-{band}-t") if band != "normal" else None,
        threshold(f"gourlay-{band}-years"),
        threshold(f"gourlay-{band}-years-rounded"),
    )
    for band in ("advanced", "moderate", "mild", "normal")
)  # (band, its top T-score (None: no top), paper's years, rounded years), lowest band first
HIP_SITES = (Site.FEMORAL_NECK, Site.TOTAL_HIP)  # Gourlay: the lowest of the two hip T-scores
GOURLAY_MIN_AGE = threshold("gourlay-min-age")
LSC_FACTOR = threshold("lsc-factor")


SECTION = Section.MONITORING  # this topic's answer section (read once: enum look-ups are slow)


_rec = section_recommendation(SECTION)  # _rec(id, statement, citations, urgency=INFO, **params)


def gourlay_band(t: float) -> tuple[str, float, int] | None:
    """(band, paper's years, rounded years) for the lowest hip T-score; None in the osteoporosis range."""
    t = round(t, 2)
    if t <= GOURLAY_OSTEOPOROSIS_T.value:
        return None
    for band, top, years, rounded in GOURLAY_BANDS:
        if top is None or t <= top.value:
            return band, years.value, rounded.value
    return None


_BAND_TOPS = "/".join(
    f"{x.value:.2f}" for x in (*(b[1] for b in reversed(GOURLAY_BANDS) if b[1]), GOURLAY_OSTEOPOROSIS_T)
)


def _lowest_hip(f: Facts) -> tuple[float, Site] | None:
    best: tuple[float, Site] | None = None
    for site in HIP_SITES:
        v = f.t_scores.get(site)
        if v is not None and (best is None or v < best[0]):
            best = (v, site)
    return best


def _treated_or_to_be(f: Facts, a: Assessment) -> bool:
    return bool(a.derived.current) or a.decision == Decision.YES


@rule("monitor-on-treatment", topic="monitoring", cites=[ENDO, ACP])
def on_treatment(f: Facts, a: Assessment) -> Finding | None:
    """DXA on treatment: the Endocrine Society interval, and ACP's advice against monitoring in the first years."""
    on_drug = bool(a.derived.current)
    if not (on_drug or a.decision in TREATMENT_DECISIONS or a.intent == Intent.MONITORING_INTERVAL):
        return None
    if a.intent == Intent.MONITORING_INTERVAL and not on_drug and a.decision not in TREATMENT_DECISIONS:
        return None  # an untreated patient asking about the interval gets the Gourlay rule
    rec = _rec(
        "monitor-on-treatment",
        "monitor-on-treatment",
        [ENDO, ACP],
        on=on_drug,
        conditional=not on_drug and a.decision != Decision.YES,
        lo=ENDO_MIN_YEARS.value,
        hi=ENDO_MAX_YEARS.value,
        acp=ACP_NO_MONITORING_YEARS.value,
    )
    return Finding(
        result=f"on treatment: DXA every {ENDO_MIN_YEARS}-{ENDO_MAX_YEARS} years (Endocrine 2019); "
        f"ACP 2017 none in first {ACP_NO_MONITORING_YEARS} years",
        used=["medications", "decision"],
        recommendations=[rec],
    )


def _outside_population(f: Facts) -> list[str]:
    out: list[str] = []
    if f.sex == Sex.MALE:
        out.append("men")
    if f.age is not None and f.age < GOURLAY_MIN_AGE.value:
        out.append(f"people younger than {GOURLAY_MIN_AGE}")
    if FractureSite.HIP in f.fracture_sites or FractureSite.VERTEBRAL in f.fracture_sites:
        out.append("people with a hip or vertebral fracture")
    return out


@rule("monitor-untreated-interval", topic="monitoring", cites=[GOURLAY, DISPUTE])
def untreated_interval(f: Facts, a: Assessment) -> Finding | None:
    """Untreated low bone mass: when to repeat DXA, by the lowest hip T-score band (Gourlay 2012)."""
    if _treated_or_to_be(f, a):
        return None
    cat = a.classification.category
    asked = a.intent in (Intent.MONITORING_INTERVAL, Intent.SCREENING)
    if not (asked or cat in (Category.OSTEOPENIA, Category.NORMAL, None)):
        return None
    hip = _lowest_hip(f)
    if hip is None:
        if not (asked or f.t_scores or f.t_score_unsited is not None):
            return None
        rec = _rec("monitor-untreated-interval", "monitor-gourlay-no-hip", [GOURLAY])
        return Finding(
            result="repeat interval needs a femoral neck or total hip T-score",
            used=["t_scores"],
            recommendations=[rec],
            missing=["t_scores"],
        )
    t, site = hip
    band = gourlay_band(t)
    if band is None:
        return None  # osteoporosis range: treatment, not a repeat interval
    name, years, rounded = band
    outside = _outside_population(f)
    unknown = [x for x, v in (("age", f.age), ("sex", f.sex)) if v is None]
    rec = _rec(
        "monitor-untreated-interval",
        "monitor-gourlay",
        [GOURLAY, DISPUTE],
        t=t,
        site=site.value.replace("_", " "),
        band=name,
        years=years,
        rounded=rounded,
        outside=outside,
        unknown=unknown,
        conditional=a.decision == Decision.CONDITIONAL,
        min_age=GOURLAY_MIN_AGE.value,
    )
    return Finding(
        result=f"untreated, lowest hip T {t:g}: {name} band, ~{rounded} y (Gourlay {years:g} y)",
        used=["t_scores.femoral_neck", "t_scores.total_hip", "age", "sex", "fracture_sites"],
        threshold=f"bands {_BAND_TOPS} (lowest of femoral neck and total hip)",
        recommendations=[rec],
    )


@rule("monitor-least-significant-change", topic="monitoring", cites=[LSC])
def least_significant_change(f: Facts, a: Assessment) -> Finding | None:
    """When DXA is repeated: compare the change with the centre's least significant change (ISCD)."""
    if not any(r.section is SECTION for r in a.recommendations):
        return None
    rec = _rec("monitor-least-significant-change", "monitor-lsc", [LSC], factor=LSC_FACTOR.value)
    return Finding(result="compare with the centre's least significant change", used=[], recommendations=[rec])


@rule("monitor-glucocorticoids", topic="monitoring", cites=[ACR])
def glucocorticoids(f: Facts, a: Assessment) -> Finding | None:
    """On glucocorticoids: reassess fracture risk regularly (ACR 2022)."""
    if f.glucocorticoids is not True:
        return None
    rec = _rec("monitor-glucocorticoids", "monitor-glucocorticoids", [ACR])
    return Finding(
        result="on glucocorticoids: reassess fracture risk regularly", used=["glucocorticoids"], recommendations=[rec]
    )
