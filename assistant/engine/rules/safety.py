"""Safety: the hard invariants, said out loud whenever a drug is on the table.

1. Never an oral bisphosphonate or zoledronic acid below its kidney cut-off (labels).
2. Never "stop denosumab" without the follow-on bisphosphonate (ECTS 2021; rebound: Cummings 2018).
3. Never romosozumab after a heart attack or stroke in the past year (boxed warning).
4. Never a drug without the calcium / vitamin D check: correct hypocalcaemia and deficiency first (labels).
Plus the jaw (dental check before antiresorptives) and the femur (thigh or groin pain -> imaging).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from assistant.engine.knowledge.drugs import (
    ANTIRESORPTIVE_SET,
    BISPHOSPHONATE_SET,
    BISPHOSPHONATES,
    RENAL_CUTOFF,
    drugs_relevant,
)
from assistant.engine.knowledge.situations import kidney_advanced, kidney_known
from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import (
    Assessment,
    Finding,
    Section,
    Urgency,
    rule,
    section_recommendation,
)
from assistant.facts import Facts, Intent, Status

ALN = "label-alendronate#dosing"
RIS = "label-risedronate#dosing"
IBN = "label-ibandronate#dosing"
ZOL = "label-zoledronic-acid#dosing"
DEN = "label-denosumab#dosing"
KDIGO = "kdigo-2017#ckd-bone"
ECTS = "tsourdi-2021#denosumab-discontinuation"
REBOUND = "cummings-2018#rebound-fractures"
ENDO_DEN = "endo-2019#denosumab-no-stop"
ROMO_CV = "label-romosozumab#cardiovascular"
ENDO_ROMO = "endo-2020#romosozumab"
DEN_CA = "label-denosumab#hypocalcaemia"
ZOL_CA = "label-zoledronic-acid#hypocalcaemia"
ALN_CA = "label-alendronate#hypocalcaemia"
VITD_BHOF = "bhof-2022#vitamin-d"
ONJ_AFF = "label-alendronate#onj-aff"
ZOL_ONJ = "label-zoledronic-acid#onj"
ONJ_RATE = "solomon-2013#onj-incidence"
AFF_DURATION = "asbmr-2016#aff-risk"

# Follow-on after the last denosumab injection, months (ECTS, tsourdi-2021).
DENOSUMAB_FOLLOW_ON_MONTHS = threshold("denosumab-follow-on")
# Rebound after stopping denosumab (cummings-2018): vertebral fractures per 100 patient-years.
REBOUND_ON_RATE = threshold("denosumab-rebound-on-rate")
REBOUND_OFF_RATE = threshold("denosumab-rebound-off-rate")
REBOUND_MULTIPLE_PCT = threshold("denosumab-rebound-multiple")
# 25-OH vitamin D below which it is deficient and must be corrected first, ng/mL (IOM 20; labels: correct
# deficiency before treatment). 30 is the BHOF/AACE target, not a label condition (facts.md §9b).
VITD_DEFICIENT = threshold("vitamin-d-deficient")
VITD_BHOF_TARGET = threshold("vitamin-d-bhof-target")
# ONJ in osteoporosis-dose bisphosphonate users, percent (solomon-2013).
ONJ_PCT = threshold("onj-incidence")
# Kidney limits as the traces name them (the values: RENAL_CUTOFF).
ALN_MIN_CRCL = threshold("alendronate-min-crcl")
RIS_MIN_CRCL = threshold("risedronate-min-crcl")


SECTION = Section.SAFETY  # this topic's answer section (read once: enum look-ups are slow)


_rec = section_recommendation(SECTION)  # _rec(id, statement, citations, urgency=INFO, **params)


def offered(a: Assessment) -> AbstractSet[str]:
    """Drugs the drugs topic offered as a new start."""
    return set(a.drugs_offered)


def drug_on_table(f: Facts, a: Assessment) -> bool:
    return drugs_relevant(f, a) or bool(a.derived.current)


@rule("safety-renal-cutoffs", topic="safety", cites=[ALN, RIS, IBN, ZOL, DEN, KDIGO])
def renal_cutoffs(f: Facts, a: Assessment) -> Finding | None:
    """Kidney function against the drug labels' limits; ask for it when it is not given."""
    if not drug_on_table(f, a):
        return None
    e = f.egfr
    if e is None and kidney_known(f):
        return Finding(
            result="kidney function set by dialysis or a CKD stage", used=["conditions.dialysis", "ckd_stage"]
        )
    if e is None:
        if a.renal_limits_listed:
            return Finding(
                result="kidney function unknown: the drug section lists the cut-offs", used=["egfr"], missing=["egfr"]
            )
        rec = _rec(
            "safety-renal-check",
            "safety-renal-check",
            [ALN, ZOL],
            Urgency.WARNING,
            aln=RENAL_CUTOFF["alendronate"],
            zol=RENAL_CUTOFF["zoledronic_acid"],
        )
        return Finding(
            result="kidney function unknown: check before any bisphosphonate",
            used=["egfr"],
            recommendations=[rec],
            missing=["egfr"],
        )
    below = [d for d in BISPHOSPHONATES if e < RENAL_CUTOFF[d]]
    if not below:
        return Finding(
            result=f"eGFR {e:g}: above every bisphosphonate cut-off",
            used=["egfr"],
            threshold=f"alendronate/zoledronic acid >= {ALN_MIN_CRCL}; risedronate/ibandronate >= {RIS_MIN_CRCL}",
        )
    recs = [
        _rec(
            "safety-renal-no-alendronate-zoledronic",
            "safety-renal-35",
            [ALN, ZOL],
            Urgency.CRITICAL,
            egfr=e,
            cutoff=RENAL_CUTOFF["alendronate"],
            crcl=f.egfr_is_crcl,
        )
    ]
    if e < RENAL_CUTOFF["risedronate"]:
        recs.append(
            _rec(
                "safety-renal-no-oral-bisphosphonate",
                "safety-renal-30",
                [RIS, IBN, KDIGO],
                Urgency.CRITICAL,
                egfr=e,
                cutoff=RENAL_CUTOFF["risedronate"],
            )
        )
    for d in a.derived.current:
        if d in below:
            recs.append(
                _rec(
                    f"safety-renal-current-{d.replace('_', '-')}",
                    "safety-renal-current",
                    [ALN if d == "alendronate" else RIS if d == "risedronate" else IBN if d == "ibandronate" else ZOL],
                    Urgency.CRITICAL,
                    drug=d,
                    egfr=e,
                    cutoff=RENAL_CUTOFF[d],
                )
            )
    return Finding(
        result=f"eGFR {e:g}: not {', '.join(below)}",
        used=["egfr", "medications"],
        threshold=f"alendronate/zoledronic acid >= {ALN_MIN_CRCL}; risedronate/ibandronate >= {RIS_MIN_CRCL}",
        recommendations=recs,
    )


def _denosumab_relevant(f: Facts, a: Assessment) -> bool:
    return "denosumab" in a.derived.taken or a.intent == Intent.DENOSUMAB_STOP or "denosumab" in offered(a)


@rule("safety-denosumab-follow-on", topic="safety", cites=[ECTS, REBOUND, ENDO_DEN])
def denosumab_follow_on(f: Facts, a: Assessment) -> Finding | None:
    """Denosumab must not stop without a follow-on bisphosphonate: the rebound fractures after stopping (ECTS)."""
    if not _denosumab_relevant(f, a):
        return None
    stopped = any(m.name == "denosumab" and m.status == Status.HISTORICAL for m in f.medications)
    # Months since the last injection of a stopped denosumab, when said: the follow-on is due or overdue.
    since = next(
        (m.months_since_last for m in f.medications if m.name == "denosumab" and m.status == Status.HISTORICAL),
        None,
    )
    stopping = stopped or a.intent == Intent.DENOSUMAB_STOP
    e = f.egfr
    # The usual follow-ons are zoledronic acid or alendronate; below their kidney cut-off neither may be offered.
    renal_blocks = (e is not None and e < RENAL_CUTOFF["zoledronic_acid"]) or kidney_advanced(f)
    risedronate_ok = e is not None and e >= RENAL_CUTOFF["risedronate"]
    on_bp = not BISPHOSPHONATE_SET.isdisjoint(a.derived.current)  # an oral bisphosphonate or zoledronic acid
    # Critical while the stop has no follow-on; once a bisphosphonate followed, the card is a reminder.
    urgency = Urgency.CRITICAL if stopping and not (stopped and on_bp) else Urgency.WARNING
    recs = [
        _rec(
            "safety-denosumab-follow-on",
            "safety-denosumab-follow-on",
            [ECTS, ENDO_DEN, REBOUND],
            urgency,
            months=DENOSUMAB_FOLLOW_ON_MONTHS.value,
            stopped=stopped and not on_bp,
            followed=stopped and on_bp,
            since=since,
            renal_blocks=renal_blocks,
            risedronate_ok=risedronate_ok,
            egfr=e,
            ris=RENAL_CUTOFF["risedronate"],
            zol=RENAL_CUTOFF["zoledronic_acid"],
            on=REBOUND_ON_RATE.value,
            off=REBOUND_OFF_RATE.value,
            multiple=REBOUND_MULTIPLE_PCT.value,
        )
    ]
    if renal_blocks:
        recs[0].citations.extend([ZOL, ALN, RIS])
    return Finding(
        result="denosumab: never stop without a follow-on bisphosphonate" + (" (stopped)" if stopped else ""),
        used=["medications", "egfr"],
        threshold=f"follow-on about {DENOSUMAB_FOLLOW_ON_MONTHS} months after the last injection",
        recommendations=recs,
    )


@rule("safety-romosozumab-cardiovascular", topic="safety", cites=[ROMO_CV, ENDO_ROMO])
def romosozumab_cv(f: Facts, a: Assessment) -> Finding | None:
    """Romosozumab: not after a heart attack or stroke in the past year, avoided after an older one, asked about
    otherwise (label, Endocrine Society)."""
    recent = f.condition("recent_mi_or_stroke")
    history = f.has("mi_or_stroke_history")
    on_romo = "romosozumab" in a.derived.current
    considered = on_romo or bool(a.very_high_risk) or "romosozumab" in offered(a)
    if not (considered or (drug_on_table(f, a) and (recent or history))):
        return None
    if recent:
        rec = _rec("safety-no-romosozumab", "safety-romosozumab-recent", [ROMO_CV], Urgency.CRITICAL, on=on_romo)
        return Finding(
            result="no romosozumab: MI or stroke in the past year",
            used=["conditions.recent_mi_or_stroke"],
            recommendations=[rec],
        )
    if history:
        rec = _rec("safety-romosozumab-history", "safety-romosozumab-history", [ROMO_CV, ENDO_ROMO], Urgency.WARNING)
        return Finding(
            result="romosozumab: past MI or stroke, avoid",
            used=["conditions.mi_or_stroke_history"],
            recommendations=[rec],
        )
    rec = _rec("safety-romosozumab-ask", "safety-romosozumab-ask", [ROMO_CV], Urgency.WARNING, unknown=recent is None)
    return Finding(
        result="romosozumab: ask about MI or stroke in the past year",
        used=["conditions.recent_mi_or_stroke"],
        recommendations=[rec],
        missing=["recent_mi_or_stroke"] if recent is None else [],
    )


@rule("safety-calcium-vitamin-d-first", topic="safety", cites=[ALN_CA, ZOL_CA, DEN_CA, VITD_BHOF])
def calcium_vitamin_d_first(f: Facts, a: Assessment) -> Finding | None:
    """Correct low calcium and vitamin D deficiency before an antiresorptive (labels)."""
    if not drug_on_table(f, a):
        return None
    v = f.vitamin_d
    deficient = v is not None and v < VITD_DEFICIENT.value
    low_ca = f.has("hypocalcaemia")
    urgency = Urgency.CRITICAL if (deficient or low_ca) else Urgency.WARNING
    rec = _rec(
        "safety-calcium-vitamin-d-first",
        "safety-calcium-vitamin-d-first",
        [ALN_CA, ZOL_CA, DEN_CA, VITD_BHOF],
        urgency,
        vitamin_d=v,
        deficient=deficient,
        hypocalcaemia=low_ca,
        deficient_below=VITD_DEFICIENT.value,
        target=VITD_BHOF_TARGET.value,
    )
    missing = [] if v is not None else ["vitamin_d"]
    result = (
        (
            "correct "
            + " and ".join(x for x, on in (("hypocalcaemia", low_ca), ("vitamin D deficiency", deficient)) if on)
            + " before any drug"
        )
        if (deficient or low_ca)
        else "check calcium and vitamin D before any drug"
    )
    return Finding(
        result=result,
        used=["vitamin_d", "calcium", "conditions.hypocalcaemia"],
        threshold=f"25-OH D < {VITD_DEFICIENT} ng/mL is deficient",
        recommendations=[rec],
        missing=missing,
    )


@rule("safety-dental-onj", topic="safety", cites=[ONJ_AFF, ZOL_ONJ, ONJ_RATE])
def dental(f: Facts, a: Assessment) -> Finding | None:
    """Osteonecrosis of the jaw: rare, a dental check before an antiresorptive (labels, Solomon 2013)."""
    antiresorptive = not ANTIRESORPTIVE_SET.isdisjoint(a.derived.current) or bool(
        offered(a) & {"alendronate", "risedronate", "zoledronic_acid", "denosumab"}
    )
    if not antiresorptive:
        return None
    planned = f.has("invasive_dental_work")
    on_drug = not ANTIRESORPTIVE_SET.isdisjoint(a.derived.current)  # already taking one (issue 16: dental work on it)
    rec = _rec(
        "safety-dental-onj",
        "safety-dental",
        [ONJ_AFF, ZOL_ONJ, ONJ_RATE],
        Urgency.WARNING if planned else Urgency.INFO,
        planned=planned,
        on_drug=on_drug,
        pct=ONJ_PCT.value,
    )
    return Finding(
        result="dental check before antiresorptive" + (" (invasive dental work planned)" if planned else ""),
        used=["conditions.invasive_dental_work"],
        recommendations=[rec],
    )


@rule("safety-atypical-femur-fracture", topic="safety", cites=[ONJ_AFF, AFF_DURATION])
def atypical_femur(f: Facts, a: Assessment) -> Finding | None:
    """Atypical femur fracture: its rise with duration, and thigh or groin pain on treatment to be imaged (labels,
    ASBMR)."""
    on_drug = not ANTIRESORPTIVE_SET.isdisjoint(a.derived.current) or not a.derived.taken.isdisjoint(BISPHOSPHONATES)
    pain = f.has("thigh_pain")
    if not (on_drug or (pain and drug_on_table(f, a))):
        return None
    rec = _rec(
        "safety-atypical-femur-fracture",
        "safety-aff",
        [ONJ_AFF, AFF_DURATION],
        Urgency.CRITICAL if pain else Urgency.INFO,
        pain=pain,
    )
    return Finding(
        result="thigh or groin pain: image the femur" if pain else "atypical femur fracture: warn",
        used=["conditions.thigh_pain", "medications"],
        recommendations=[rec],
    )
