"""Drug choice: first-line oral bisphosphonates, parenteral alternatives, kidney limits, anabolic-first for
very high risk, raloxifene as a limited option, and what the current drug means.

Doses and limits are the labels' (facts.md §6, sources.md §7). Left out as [U]: risedronate 150 mg
monthly. New starts are offered only when treatment is indicated or conditional, or when the question is
about drug choice, dose or kidney dosing; a drug is never offered below its kidney cut-off.
"""

from __future__ import annotations

from assistant.engine.knowledge.drugs import (
    ABALOPARATIDE_DAILY_MCG,
    ALENDRONATE_WEEKLY_MG,
    ANABOLIC_SET,
    ANABOLICS,
    BISPHOSPHONATES,
    DENOSUMAB_ADVANCED_CKD_EGFR,
    DENOSUMAB_EVERY_MONTHS,
    DENOSUMAB_MG,
    RALOXIFENE_DAILY_MG,
    RENAL_CUTOFF,
    RISEDRONATE_WEEKLY_MG,
    ROMOSOZUMAB_DOSES,
    ROMOSOZUMAB_MONTHLY_MG,
    TERIPARATIDE_DAILY_MCG,
    UPRIGHT_MINUTES,
    WATER_ML,
    YOUNG_ADULT_AGE,
    ZOLEDRONIC_ACID_YEARLY_MG,
    canonical,
    drugs_relevant,
    mode,
    on_antiresorptive,
    oral_unsuitable_reasons,
    renal_allows,
)
from assistant.engine.knowledge.situations import blocked_drugs, kidney_known
from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import (
    Assessment,
    Finding,
    Recommendation,
    Section,
    Urgency,
    rule,
    section_recommendation,
)
from assistant.facts import Facts, Intent, Sex, Status

ACP_FIRST = "acp-2023#bisphosphonate-first-line"
ACP_ANABOLIC = "acp-2023#anabolic-very-high-risk"
ENDO_FIRST = "endo-2019#first-line"
ENDO_ANABOLIC = "endo-2019#anabolic"
ENDO_RALOXIFENE = "endo-2019#raloxifene"
ENDO_ROMO = "endo-2020#romosozumab"
AACE_VHR = "aace-2020#very-high-risk-initial"
ALN = "label-alendronate#dosing"
RIS = "label-risedronate#dosing"
IBN = "label-ibandronate#dosing"
ZOL = "label-zoledronic-acid#dosing"
DEN = "label-denosumab#dosing"
TPTD = "label-teriparatide#dosing"
ABL = "label-abaloparatide#dosing"
ROMO = "label-romosozumab#dosing"
ISCD_YOUNG = "iscd-2019#z-scores-younger-adults"
RLX = "label-raloxifene#dosing"
# Kidney limits as the traces name them (the values: RENAL_CUTOFF, from corpus/thresholds.yaml).
ALN_MIN_CRCL = threshold("alendronate-min-crcl")
RIS_MIN_CRCL = threshold("risedronate-min-crcl")
ZOL_MIN_CRCL = threshold("zoledronic-acid-min-crcl")


SECTION = Section.DRUGS  # this topic's answer section (read once: enum look-ups are slow)


_rec = section_recommendation(SECTION)  # _rec(id, statement, citations, urgency=INFO, **params)


def _romosozumab_block(f: Facts) -> str | None:
    """Why romosozumab is not offered, or None if it may be (subject to the recent-MI question)."""
    if f.has("recent_mi_or_stroke"):
        return "recent"
    if f.has("mi_or_stroke_history"):
        return "history"
    if f.sex == Sex.MALE:
        return "male"
    return None


def _romosozumab_rec(f: Facts, block: str | None) -> Recommendation:
    """Romosozumab with its dose and cardiovascular bar, or why it is not an option."""
    if block is None:
        return _rec(
            "drug-romosozumab",
            "drug-romosozumab",
            [ROMO, ENDO_ROMO],
            mg=ROMOSOZUMAB_MONTHLY_MG.value,
            doses=ROMOSOZUMAB_DOSES.value,
            ask_cv=f.condition("recent_mi_or_stroke") is None,
        )
    return _rec(
        "drug-romosozumab-excluded",
        "drug-romosozumab-excluded",
        [ROMO, ENDO_ROMO],
        Urgency.CRITICAL if block == "recent" else Urgency.WARNING,
        reason=block,
    )


@rule("drug-anabolic-first", topic="drugs", cites=[AACE_VHR, ACP_ANABOLIC, ENDO_ANABOLIC, ENDO_ROMO])
def anabolic_first(f: Facts, a: Assessment) -> Finding | None:
    """Very high risk and a drug on the table: an anabolic drug first, then an antiresorptive (AACE, ACP, Endocrine)."""
    if not a.very_high_risk or not drugs_relevant(f, a):
        return None
    if not ANABOLIC_SET.isdisjoint(a.derived.current):
        return None  # drug-current-therapy speaks to the course already under way
    recs: list[Recommendation] = []
    if not a.sequence_advised:  # the very-high-risk decision rule may have said it
        recs.append(
            _rec(
                "drug-anabolic-sequence",
                "drug-anabolic-sequence",
                [AACE_VHR, ACP_ANABOLIC, ENDO_ANABOLIC],
                Urgency.WARNING,
                mode=mode(a),
            )
        )
    recs.append(_rec("drug-teriparatide", "drug-teriparatide", [TPTD, ENDO_ANABOLIC], mcg=TERIPARATIDE_DAILY_MCG.value))
    recs.append(
        _rec("drug-abaloparatide", "drug-abaloparatide", [ABL, ENDO_ANABOLIC], mcg=ABALOPARATIDE_DAILY_MCG.value)
    )
    missing: list[str] = []
    block = _romosozumab_block(f)
    recs.append(_romosozumab_rec(f, block))
    if block is None and f.condition("recent_mi_or_stroke") is None:
        missing.append("recent_mi_or_stroke")
    return Finding(
        result="very high risk: anabolic first, then antiresorptive" + (f" (no romosozumab: {block})" if block else ""),
        used=["very_high_risk", "conditions.recent_mi_or_stroke", "conditions.mi_or_stroke_history", "sex"],
        recommendations=recs,
        missing=missing,
        offers=["teriparatide", "abaloparatide", *(["romosozumab"] if block is None else [])],
    )


def asked_about(f: Facts) -> list[str]:
    """Drugs the message names without saying the patient takes them ("Is Evenity appropriate ...?")."""
    taking = {canonical(m.name) for m in f.medications}
    out: list[str] = []
    for m in f.mentions:
        if m.category == "drug" and m.status == Status.AFFIRMED:
            name = canonical(m.concept)
            if name not in taking and name not in out:
                out.append(name)
    return out


@rule("drug-anabolic-asked", topic="drugs", cites=[ACP_ANABOLIC, ENDO_ANABOLIC, ENDO_ROMO, ROMO, TPTD, ABL, ISCD_YOUNG])
def anabolic_asked(f: Facts, a: Assessment) -> Finding | None:
    """An anabolic drug asked about by name: where the guidelines place it, whatever the risk level."""
    asked = [d for d in asked_about(f) if d in ANABOLICS]
    if not asked or "teriparatide" in a.drugs_offered:  # drug-anabolic-first has placed them already
        return None
    premenopausal_or_young = (f.menopause is not None and f.menopause.value == "pre") or (
        f.age is not None and f.age < YOUNG_ADULT_AGE.value
    )
    recs = [
        _rec(
            "drug-anabolic-place",
            "drug-anabolic-place",
            [ACP_ANABOLIC, ENDO_ROMO, ENDO_ANABOLIC, *([ISCD_YOUNG] if premenopausal_or_young else [])],
            Urgency.WARNING if premenopausal_or_young or not a.very_high_risk else Urgency.INFO,
            drugs=asked,
            very_high=bool(a.very_high_risk),
            young=premenopausal_or_young,
        )
    ]
    block = _romosozumab_block(f)
    if "romosozumab" in asked:
        recs.append(_romosozumab_rec(f, block))
    if "teriparatide" in asked:
        recs.append(
            _rec("drug-teriparatide", "drug-teriparatide", [TPTD, ENDO_ANABOLIC], mcg=TERIPARATIDE_DAILY_MCG.value)
        )
    if "abaloparatide" in asked:
        recs.append(
            _rec("drug-abaloparatide", "drug-abaloparatide", [ABL, ENDO_ANABOLIC], mcg=ABALOPARATIDE_DAILY_MCG.value)
        )
    return Finding(
        result="asked about " + ", ".join(asked) + ": reserved for very high risk, then an antiresorptive",
        used=["mentions", "very_high_risk", "menopause", "age", "sex", "conditions.recent_mi_or_stroke"],
        recommendations=recs,
        offers=[d for d in asked if d != "romosozumab" or block is None],
    )


@rule("drug-first-line-oral", topic="drugs", cites=[ACP_FIRST, ENDO_FIRST, ALN, RIS])
def first_line_oral(f: Facts, a: Assessment) -> Finding | None:
    """Treatment indicated or asked about: an oral bisphosphonate first (alendronate, risedronate), within its
    kidney limit."""
    if not drugs_relevant(f, a):
        return None
    if on_antiresorptive(f, a):
        return None  # drug-current-therapy covers the drug already taken
    unsuitable = oral_unsuitable_reasons(f)
    if unsuitable:
        return Finding(
            result="oral bisphosphonate unsuitable: " + ", ".join(unsuitable),
            used=["conditions.oesophageal_disorder", "conditions.cannot_stay_upright", "conditions.hypocalcaemia"],
        )
    blocked = blocked_drugs(f)  # situations that bar a drug (issue 16): AFF, osteomalacia, CKD G4-5, bypass
    if "alendronate" in blocked:
        return Finding(result="no oral bisphosphonate: " + blocked["alendronate"], used=["conditions", "medications"])
    follow_on = bool(a.very_high_risk)
    e = f.egfr
    recs: list[Recommendation] = []
    offered: list[str] = []
    if renal_allows("alendronate", e) is not False:
        recs.append(
            _rec(
                "drug-alendronate",
                "drug-alendronate",
                [ALN, ACP_FIRST, ENDO_FIRST],
                mode=mode(a),
                mg=ALENDRONATE_WEEKLY_MG.value,
                follow_on=follow_on,
                renal_unknown=e is None,
                cutoff=RENAL_CUTOFF["alendronate"],
            )
        )
        offered.append("alendronate")
    if renal_allows("risedronate", e) is not False:
        recs.append(
            _rec(
                "drug-risedronate",
                "drug-risedronate",
                [RIS, ENDO_FIRST],
                mg=RISEDRONATE_WEEKLY_MG.value,
                renal_unknown=e is None,
                cutoff=RENAL_CUTOFF["risedronate"],
                only_oral=renal_allows("alendronate", e) is False,
            )
        )
        offered.append("risedronate")
    if not recs:
        return Finding(
            result=f"no oral bisphosphonate: eGFR {e:g} below every oral cut-off",
            used=["egfr"],
            threshold=f"risedronate/ibandronate CrCl >= {RIS_MIN_CRCL}; alendronate >= {ALN_MIN_CRCL}",
        )
    recs.append(
        _rec(
            "drug-oral-administration",
            "drug-oral-administration",
            [ALN, RIS],
            water_ml=WATER_ML.value,
            minutes=UPRIGHT_MINUTES.value,
        )
    )
    missing = ["egfr"] if e is None and not kidney_known(f) else []
    return Finding(
        result="oral bisphosphonate: " + ", ".join(offered) + (" (as follow-on)" if follow_on else ""),
        used=["egfr", "very_high_risk", "conditions"],
        threshold=f"alendronate CrCl >= {ALN_MIN_CRCL}; risedronate >= {RIS_MIN_CRCL}",
        recommendations=recs,
        missing=missing,
        offers=offered,
    )


@rule("drug-parenteral-alternatives", topic="drugs", cites=[ACP_FIRST, ZOL, DEN])
def parenteral(f: Facts, a: Assessment) -> Finding | None:
    """Zoledronic acid and denosumab, as alternatives or when an oral bisphosphonate is unsuitable or too renally
    limited."""
    if not drugs_relevant(f, a) or on_antiresorptive(f, a):
        return None
    unsuitable = oral_unsuitable_reasons(f)
    e = f.egfr
    alendronate_out = renal_allows("alendronate", e) is False
    why = "oral-unsuitable" if unsuitable else ("renal" if alendronate_out else "alternative")
    urgency = Urgency.WARNING if why != "alternative" else Urgency.INFO
    recs = [
        _rec(
            "drug-parenteral-intro",
            "drug-parenteral-intro",
            [ACP_FIRST, ZOL, DEN],
            urgency,
            why=why,
            reasons=unsuitable,
            egfr=e,
            hypocalcaemia=f.has("hypocalcaemia"),
        )
    ]
    blocked = blocked_drugs(f)
    if "zoledronic_acid" in blocked and "denosumab" in blocked:
        return Finding(result="no parenteral antiresorptive: " + blocked["denosumab"], used=["conditions", "egfr"])
    zoledronic_ok = renal_allows("zoledronic_acid", e) is not False and "zoledronic_acid" not in blocked
    if zoledronic_ok:
        recs.append(
            _rec(
                "drug-zoledronic-acid",
                "drug-zoledronic-acid",
                [ZOL],
                mg=ZOLEDRONIC_ACID_YEARLY_MG.value,
                renal_unknown=e is None,
                cutoff=RENAL_CUTOFF["zoledronic_acid"],
            )
        )
    advanced_ckd = (e is not None and e < DENOSUMAB_ADVANCED_CKD_EGFR.value) or f.has("dialysis")
    denosumab_ok = "denosumab" not in blocked
    if denosumab_ok:
        recs.append(
            _rec(
                "drug-denosumab",
                "drug-denosumab",
                [DEN, ACP_FIRST],
                mg=DENOSUMAB_MG.value,
                months=DENOSUMAB_EVERY_MONTHS.value,
                advanced_ckd=advanced_ckd,
                ckd_egfr=DENOSUMAB_ADVANCED_CKD_EGFR.value,
            )
        )
    return Finding(
        result=f"parenteral options ({why})",
        used=["egfr", "conditions"],
        threshold=f"zoledronic acid CrCl >= {ZOL_MIN_CRCL}; "
        f"denosumab boxed warning eGFR < {DENOSUMAB_ADVANCED_CKD_EGFR}",
        recommendations=recs,
        missing=["egfr"] if e is None and not kidney_known(f) else [],
        offers=[*(["zoledronic_acid"] if zoledronic_ok else []), *(["denosumab"] if denosumab_ok else [])],
    )


@rule("drug-raloxifene", topic="drugs", cites=[RLX, ENDO_RALOXIFENE])
def raloxifene(f: Facts, a: Assessment) -> Finding | None:
    """Raloxifene as a limited option for women (spine only), excluded after a venous thromboembolism."""
    if not drugs_relevant(f, a) or f.sex == Sex.MALE or on_antiresorptive(f, a):
        return None
    asked = a.intent in (Intent.DRUG_CHOICE, Intent.COMPARE)
    if not (asked or f.has("breast_cancer_risk")):
        return None
    barred = blocked_drugs(f).get("raloxifene")
    if barred:
        return Finding(result="raloxifene barred: " + barred, used=["conditions"])
    if f.has("vte_history"):
        rec = _rec("drug-raloxifene-excluded", "drug-raloxifene-excluded", [RLX], Urgency.WARNING)
        return Finding(result="raloxifene excluded: past VTE", used=["conditions.vte_history"], recommendations=[rec])
    rec = _rec(
        "drug-raloxifene",
        "drug-raloxifene",
        [RLX, ENDO_RALOXIFENE],
        mg=RALOXIFENE_DAILY_MG.value,
        breast=f.has("breast_cancer_risk"),
    )
    return Finding(
        result="raloxifene as a limited option",
        used=["sex", "conditions.breast_cancer_risk"],
        recommendations=[rec],
        offers=["raloxifene"],
    )


@rule("drug-current-therapy", topic="drugs", cites=[ALN, RIS, IBN, ZOL, DEN, TPTD, ABL, ROMO, RLX])
def current_therapy(f: Facts, a: Assessment) -> Finding | None:
    """What the drug taken now means: keep, review at the kidney limit, never simply stop denosumab, finish a course."""
    drugs = a.derived.current
    if not drugs:
        return None
    cites = {
        "alendronate": [ALN],
        "risedronate": [RIS],
        "ibandronate": [IBN],
        "zoledronic_acid": [ZOL],
        "denosumab": [DEN],
        "teriparatide": [TPTD, ENDO_ANABOLIC],
        "abaloparatide": [ABL, ENDO_ANABOLIC],
        "romosozumab": [ROMO, ENDO_ROMO],
        "raloxifene": [RLX],
    }
    recs: list[Recommendation] = []
    blocked = blocked_drugs(f)
    for d in drugs:
        if d not in cites or blocked.get(d) in ("aff", "thigh_pain"):
            continue  # the situation's own statement says to stop it or to image first
        allowed = renal_allows(d, f.egfr)
        recs.append(
            _rec(
                f"drug-current-{d.replace('_', '-')}",
                "drug-current",
                cites[d],
                Urgency.WARNING if allowed is False else Urgency.INFO,
                drug=d,
                renal_ok=allowed,
                egfr=f.egfr,
                cutoff=RENAL_CUTOFF.get(d),
                bisphosphonate=d in BISPHOSPHONATES,
                denosumab=d == "denosumab",
                anabolic=d in ANABOLICS,
                raloxifene=d == "raloxifene",
                failed=f.has("fracture_on_therapy") and bool(a.very_high_risk),  # the very-high-risk plan applies
            )
        )
    if not recs:
        return None
    return Finding(result="current therapy: " + ", ".join(drugs), used=["medications", "egfr"], recommendations=recs)


@rule("drug-renal-limits", topic="drugs", cites=[ALN, RIS, IBN, ZOL, DEN])
def renal_limits(f: Facts, a: Assessment) -> Finding | None:
    """The bisphosphonates' kidney limits and denosumab's advanced-CKD warning, against the eGFR when given."""
    if not (drugs_relevant(f, a) or a.derived.current):
        return None
    e = f.egfr
    cites = [ALN, RIS, IBN, ZOL, DEN]
    params = {
        "aln": RENAL_CUTOFF["alendronate"],
        "ris": RENAL_CUTOFF["risedronate"],
        "zol": RENAL_CUTOFF["zoledronic_acid"],
        "den": DENOSUMAB_ADVANCED_CKD_EGFR.value,
        "crcl": f.egfr_is_crcl,
    }
    if e is None and kidney_known(f):
        return Finding(result="kidney function given as a stage or dialysis (see the situation)", used=["egfr"])
    if e is None:
        rec = _rec("drug-renal-limits", "drug-renal-unknown", cites, **params)
        return Finding(
            result="drug choice depends on kidney function (not given)",
            used=["egfr"],
            recommendations=[rec],
            missing=["egfr"],
            renal_limits_listed=True,
        )
    if e >= max(RENAL_CUTOFF.values()) and a.intent != Intent.RENAL_DOSING:
        return Finding(result=f"eGFR {e:g}: no kidney limit applies", used=["egfr"])
    allowed = [d for d in BISPHOSPHONATES if renal_allows(d, e)]
    excluded = [d for d in BISPHOSPHONATES if not renal_allows(d, e)]
    rec = _rec(
        "drug-renal-limits",
        "drug-renal-known",
        cites,
        Urgency.WARNING if excluded else Urgency.INFO,
        egfr=e,
        allowed=allowed,
        excluded=excluded,
        advanced_ckd=e < DENOSUMAB_ADVANCED_CKD_EGFR.value,
        **params,
    )
    return Finding(
        result=f"eGFR {e:g}: excluded " + (", ".join(excluded) or "none"),
        used=["egfr"],
        threshold=f"alendronate/zoledronic acid >= {ALN_MIN_CRCL}; risedronate/ibandronate >= {RIS_MIN_CRCL}",
        recommendations=[rec],
        renal_limits_listed=True,
    )
