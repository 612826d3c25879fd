"""Situations a consultant must not miss (issue 16): each has a first step that comes before the generic
osteopenia plan, and the drugs it takes off the table (assistant/engine/knowledge/situations.py).

A deciding topic: it runs after `decision` and, when a situation with its own first step holds, its reason
replaces the generic one, so the headline and the body agree. Priority (one decides): an established
atypical femur fracture, prodromal thigh pain on an antiresorptive, an osteomalacia pattern, CKD G4-5 or
dialysis, then the glucocorticoid (ACR 2022) stratum and cancer-treatment bone loss.
"""

from __future__ import annotations

from assistant.engine.knowledge import situations as sit
from assistant.engine.knowledge.glucocorticoids import gc_stratum
from assistant.engine.knowledge.intents import DECISION_INTENTS
from assistant.engine.knowledge.profiles import profile_of
from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import (
    Assessment,
    Because,
    Decision,
    Finding,
    Recommendation,
    Section,
    Urgency,
    rule,
    section_recommendation,
)
from assistant.facts import Facts, FractureSite, Intent, Status

AFF_CITES = ["bubbear-2016#aff-management", "ects-aff-2020#after-aff", "asbmr-aff-2014#case-definition"]
AFF_BOTH = ["gargyan-aff#contralateral"]
THIGH_CITES = ["bubbear-2016#aff-management", "tins-2015#imaging", "asbmr-aff-2014#case-definition"]
OM_CITES = ["ros-vitd#thresholds", "hamdy-2010#zoledronic-acid-hypocalcaemia", "label-denosumab#hypocalcaemia"]
CKD_CITES = [
    "kdigo-2017#ckd-g4-g5-caution",
    "label-denosumab#hypocalcaemia",
    "label-alendronate#dosing",
    "label-risedronate#dosing",
    "label-zoledronic-acid#dosing",
]
GC_CITES = ["acr-2022#risk-strata-all-ages", "acr-2022#risk-strata", "acr-2022#treatment"]
AI_CITES = [
    "hadji-2017#ai-bone-loss",
    "hadji-2017#ai-risk-factors",
    "asco-2019#treatment-threshold",
    "asco-2019#cancer-treatment-bone-loss",
    "label-anastrozole#interactions",
]
ADT_CITES = ["asco-2019#treatment-threshold", "asco-2019#cancer-treatment-bone-loss", "aua-advpca#adt-bone-health"]
PHPT_CITES = ["phpt-2014#surgery-criteria"]
BARIATRIC_CITES = ["karam-paccou-2025#after-bariatric-surgery"]
DMAB_CITES = ["lyu-2020#delayed-denosumab", "label-denosumab#dosing", "tsourdi-2021#denosumab-discontinuation"]
PTH_CITES = ["label-abaloparatide#dosing", "krege-2022#teriparatide-label", "data-switch-2015#sequence"]
ROMO_CITES = [
    "arch-2017#romosozumab-vs-alendronate",
    "cosman-2022#sequence",
    "data-switch-2015#sequence",
    "label-romosozumab#dosing",
]
ROMO_VS_CITES = ["cosman-2022#sequence", "label-romosozumab#dosing", "label-romosozumab#cardiovascular"]

_YES = Decision.YES
_NO = Decision.NO
_CONDITIONAL = Decision.CONDITIONAL
_NA = Decision.NA
_CRITICAL = Urgency.CRITICAL
_WARNING = Urgency.WARNING
_VERTEBRAL = FractureSite.VERTEBRAL

_bottom = section_recommendation(Section.BOTTOM_LINE)
_safety = section_recommendation(Section.SAFETY)
_drugs = section_recommendation(Section.DRUGS)
# Questions whose answer shows the bottom line (prompts/sections.yaml): a situation's first step goes right under
# it; the focused questions (dose, kidney dosing, duration, stopping denosumab) show it in their Safety section.
BOTTOM_LINE_INTENTS = DECISION_INTENTS | {Intent.DRUG_CHOICE, Intent.DIAGNOSIS_CLASSIFICATION}


def _first(
    a: Assessment, rid: str, statement: str, cites: list[str], urgency: Urgency, **params: object
) -> Recommendation:
    maker = _bottom if a.intent in BOTTOM_LINE_INTENTS else _safety
    return maker(rid, statement, cites, urgency, **params)


LABELS = {
    "alendronate": "alendronate",
    "risedronate": "risedronate",
    "ibandronate": "ibandronate",
    "zoledronic_acid": "zoledronic acid",
    "denosumab": "denosumab",
    "raloxifene": "raloxifene",
}


def _names(drugs: list[str]) -> str:
    return ", ".join(dict.fromkeys(LABELS.get(d, d) for d in drugs))


def first_step(f: Facts) -> str | None:
    """The situation whose first step decides, by priority, or None."""
    if sit.established_aff(f):
        return "aff"
    if sit.prodromal_thigh_pain(f):
        return "thigh_pain"
    if sit.osteomalacia_pattern(f):
        return "osteomalacia"
    return None


def _decides(a: Assessment) -> bool:
    return a.in_scope and a.decision != _NA


def _override(decision: Decision, statement: str, params: dict, cites: list[str]) -> dict:
    return {"decision": decision, "because": Because(statement=statement, params=params, citations=cites)}


@rule("situation-atypical-femur-fracture", cites=[*AFF_CITES, *AFF_BOTH])
def atypical_femur_fracture(f: Facts, a: Assessment) -> Finding | None:
    """An established atypical femur fracture: stop the bisphosphonate, no other antiresorptive by default, image the
    other femur, specialist review; teriparatide may be considered (bubbear-2016, ects-aff-2020, asbmr-aff-2014)."""
    if not a.in_scope or not sit.established_aff(f):
        return None
    drugs = _names(sit.took(f, sit.ANTIRESORPTIVES))
    rec = _first(a, "sit-aff", "sit-aff", [*AFF_CITES, *AFF_BOTH], _CRITICAL, drugs=drugs)
    extra = _override(_CONDITIONAL, "sit-aff-because", {"drugs": drugs}, AFF_CITES) if _decides(a) else {}
    return Finding(
        result="established atypical femur fracture: stop the antiresorptive, other femur, specialist",
        used=["conditions.atypical_femur_fracture", "medications"],
        recommendations=[rec],
        **extra,
    )


@rule("situation-prodromal-thigh-pain", cites=THIGH_CITES)
def thigh_pain(f: Facts, a: Assessment) -> Finding | None:
    """Thigh or groin pain on a bisphosphonate or denosumab: image both femurs before any other drug decision
    (bubbear-2016, tins-2015; bilateral imaging as expert practice)."""
    if not a.in_scope or not sit.prodromal_thigh_pain(f):
        return None
    drugs = _names(sit.took(f, (*sit.BISPHOSPHONATES, "denosumab")))
    rec = _first(a, "sit-thigh-pain", "sit-thigh-pain", THIGH_CITES, _CRITICAL, drugs=drugs)
    extra = (
        _override(_CONDITIONAL, "sit-thigh-pain-because", {"drugs": drugs}, THIGH_CITES)
        if _decides(a) and first_step(f) == "thigh_pain"
        else {}
    )
    return Finding(
        result="thigh or groin pain on an antiresorptive: image both femurs first",
        used=["conditions.thigh_pain", "medications"],
        recommendations=[rec],
        **extra,
    )


@rule("situation-osteomalacia-pattern", cites=OM_CITES)
def osteomalacia(f: Facts, a: Assessment) -> Finding | None:
    """An osteomalacia pattern: not yet; load vitamin D and correct calcium before zoledronic acid, denosumab or
    another antiresorptive (ros-vitd, hamdy-2010, the denosumab label)."""
    if not a.in_scope:
        return None
    features = sit.osteomalacia_pattern(f)
    if not features:
        return None
    rec = _first(a, "sit-osteomalacia", "sit-osteomalacia", OM_CITES, _CRITICAL, features=features)
    extra = (
        _override(_CONDITIONAL, "sit-osteomalacia-because", {"features": features}, OM_CITES)
        if _decides(a) and first_step(f) == "osteomalacia"
        else {}
    )
    return Finding(
        result="osteomalacia pattern: replete before any antiresorptive",
        used=["vitamin_d", "conditions.hypocalcaemia", "conditions.high_alkaline_phosphatase"],
        threshold=f"25-OH D < {threshold('osteomalacia-vitamin-d').value:g} ng/mL with low calcium or raised ALP",
        recommendations=[rec],
        **extra,
    )


@rule("situation-ckd-g4-g5-dialysis", cites=CKD_CITES)
def ckd_advanced(f: Facts, a: Assessment) -> Finding | None:
    """CKD G4-5 or dialysis (which sets kidney function): CKD-MBD first, every bisphosphonate below its label
    cut-off, denosumab only under its boxed warning (kdigo-2017 summaries, labels). The decision stays the risk's."""
    if not a.in_scope or not sit.kidney_advanced(f):
        return None
    params = {"dialysis": f.has("dialysis"), "egfr": f.egfr, "stage": f.ckd_stage}
    # The decision stays the risk's (treatment may well be indicated); what changes is how a drug is chosen.
    rec = _first(a, "sit-ckd", "sit-ckd", CKD_CITES, Urgency.WARNING, **params)
    return Finding(
        result="CKD G4-5 or dialysis: CKD-MBD first, no automatic bisphosphonate or denosumab",
        used=["egfr", "ckd_stage", "conditions.dialysis"],
        threshold=f"eGFR < {threshold('ckd-g4-egfr').value:g}, stage >= {threshold('ckd-advanced-stage')}, or dialysis",
        recommendations=[rec],
    )


@rule("situation-glucocorticoids-acr-stratum", cites=GC_CITES)
def glucocorticoid_stratum(f: Facts, a: Assessment) -> Finding | None:
    """Glucocorticoid users under a profile that follows ACR 2022: the risk stratum decides (drug therapy at
    moderate, high and very high risk), so the headline and the strata statement agree (acr-2022)."""
    if not _decides(a) or first_step(f) is not None or profile_of(a).decision.glucocorticoids != "acr-2022":
        return None
    placed = gc_stratum(f)
    if placed is None:
        return None
    stratum, reason, assumed = placed
    decision = _NO if stratum == "low" else _YES
    return Finding(
        result=f"glucocorticoids: ACR 2022 {stratum} risk decides ({decision.value})",
        used=["glucocorticoids", "glucocorticoid_dose_mg", "glucocorticoid_months", "age", "t_scores", "frax"],
        threshold="ACR 2022 strata: drug therapy at moderate, high and very high risk",
        missing=["glucocorticoid_months"] if assumed else [],
        **_override(
            decision,
            "sit-gc-because",
            {"stratum": stratum, "reason": reason, "assumed_duration": assumed, "dose": f.glucocorticoid_dose_mg},
            GC_CITES,
        ),
    )


def _gc_decides(f: Facts, a: Assessment) -> bool:
    return profile_of(a).decision.glucocorticoids == "acr-2022" and gc_stratum(f) is not None


@rule("situation-cancer-treatment-bone-loss", cites=[*AI_CITES, *ADT_CITES])
def cancer_treatment(f: Facts, a: Assessment) -> Finding | None:
    """Aromatase inhibitors or androgen deprivation: cancer-treatment bone loss named, its thresholds (ASCO 2019;
    Hadji 2017 for aromatase inhibitors) decide under a profile that follows them; never a SERM with an AI."""
    if not a.in_scope:
        return None
    kind = sit.cancer_treatment(f)
    if kind is None:
        return None
    cites = AI_CITES if kind == "aromatase_inhibitor" else ADT_CITES
    recs: list[Recommendation] = [_first(a, "sit-cancer", "sit-cancer", cites, _WARNING, kind=kind)]
    reason = sit.cancer_reason(f, kind)
    extra = (
        _override(_YES, "sit-cancer-because", {"kind": kind, "reason": reason}, cites)
        if reason
        and _decides(a)
        and first_step(f) is None
        and not _gc_decides(f, a)
        and profile_of(a).decision.cancer_treatment == "cancer-guidance"
        else {}
    )
    return Finding(
        result=f"cancer-treatment bone loss ({kind})" + (f": treat ({reason})" if reason else ""),
        used=["conditions", "t_scores", "frax", "age"],
        threshold=f"ASCO: T <= {threshold('asco-t')} or FRAX >= {threshold('asco-frax-major')} / "
        f"{threshold('asco-frax-hip')}; AI (Hadji): T < {threshold('ai-hadji-t')}, "
        f"< {threshold('ai-hadji-t-with-risk-factor')} + 1 factor, {threshold('ai-hadji-risk-factors-no-bmd')} factors",
        recommendations=recs,
        **extra,
    )


@rule("situation-primary-hyperparathyroidism", cites=PHPT_CITES)
def hyperparathyroidism(f: Facts, a: Assessment) -> Finding | None:
    """Primary hyperparathyroidism: the Fourth International Workshop surgery criteria first, with those the facts
    meet, and referral before or alongside any osteoporosis drug (phpt-2014)."""
    if not a.in_scope or not f.has("hyperparathyroidism"):
        return None
    met = sit.phpt_met(f)
    rec = _first(a, "sit-phpt", "sit-phpt", PHPT_CITES, _WARNING, calcium=f.calcium, met=met)
    return Finding(
        result="primary hyperparathyroidism: surgery criteria first" + (f" (met: {', '.join(met)})" if met else ""),
        used=["conditions.hyperparathyroidism", "calcium", "t_scores", "egfr", "age", "fracture_sites"],
        threshold=f"calcium > {threshold('phpt-calcium-above-uln')} mg/dL above ULN; T <= {threshold('phpt-t')}; "
        f"vertebral fracture; eGFR < {threshold('phpt-egfr')}; age < {threshold('phpt-age')}",
        recommendations=[rec],
    )


@rule("situation-bariatric-surgery", cites=BARIATRIC_CITES)
def bariatric(f: Facts, a: Assessment) -> Finding | None:
    """After bariatric surgery: no oral bisphosphonate; zoledronic acid preferred, denosumab second, after vitamin D
    and calcium repletion (karam-paccou-2025, a secondary summary of society guidance)."""
    if not a.in_scope or not sit.after_bariatric_surgery(f):
        return None
    rec = _drugs("sit-bariatric", "sit-bariatric", BARIATRIC_CITES, _WARNING)
    return Finding(
        result="after bariatric surgery: no oral bisphosphonate; zoledronic acid preferred",
        used=["conditions.bariatric_surgery"],
        recommendations=[rec],
    )


def _denosumab_stopped(f: Facts) -> bool:
    """Denosumab said to be stopped (and not also said to be taken)."""
    on = {m.status for m in f.medications if m.name == "denosumab"}
    return Status.HISTORICAL in on and Status.AFFIRMED not in on


@rule("situation-denosumab-timing", cites=DMAB_CITES)
def denosumab_timing(f: Facts, a: Assessment) -> Finding | None:
    """Denosumab 6 or more months since the last injection: due; more than 7 (4 weeks late): overdue, with the
    vertebral-fracture risk of delay (lyu-2020, the label's 6-monthly schedule)."""
    if not a.in_scope or _denosumab_stopped(f):  # a stop: its follow-on's timing is the safety rule's
        return None
    timing = sit.denosumab_timing(f)
    if timing not in ("overdue", "due"):
        return None
    months = sit.denosumab_months_since_last(f)
    statement = "sit-denosumab-overdue" if timing == "overdue" else "sit-denosumab-due"
    rec = _first(a, statement, statement, DMAB_CITES, _CRITICAL if timing == "overdue" else _WARNING, months=months)
    return Finding(
        result=f"denosumab {timing}: {months:g} months since the last injection",
        used=["medications.denosumab.months_since_last"],
        threshold=f"due after {threshold('denosumab-interval')} months; delayed after "
        f"{threshold('denosumab-delayed-months')} ({threshold('denosumab-on-time-weeks')} weeks past due)",
        recommendations=[rec],
    )


_PTH = ("teriparatide", "abaloparatide")


@rule("situation-anabolic-sequences", cites=[*PTH_CITES, *ROMO_CITES])
def anabolic_sequences(f: Facts, a: Assessment) -> Finding | None:
    """Anabolic questions: a PTH analogue for 2 years or more, what follows romosozumab, romosozumab or teriparatide
    (labels, krege-2022, data-switch-2015, arch-2017, cosman-2022)."""
    if not a.in_scope:
        return None
    recs: list[Recommendation] = []
    limit = threshold("pth-analogue-max").value
    for m in f.medications:
        name = m.name.lower()
        if name in _PTH and m.years is not None and m.years >= limit:
            recs.append(
                _first(
                    a,
                    "sit-pth-beyond-2-years",
                    "sit-pth-beyond-2-years",
                    PTH_CITES,
                    Urgency.WARNING,
                    drug=name,
                    limit=limit,
                )
            )
            break
    named = {m.concept for m in f.mentions if m.category == "drug"} | {m.name for m in f.medications}
    if sit.romosozumab_course_done(f):
        recs.append(_first(a, "sit-after-romosozumab", "sit-after-romosozumab", ROMO_CITES, Urgency.INFO))
    elif (
        "romosozumab" in named
        and named & set(_PTH)
        and a.intent in (Intent.DRUG_CHOICE, Intent.COMPARE, Intent.MANAGEMENT_OVERALL)
    ):
        recs.append(_first(a, "sit-romo-vs-teriparatide", "sit-romo-vs-teriparatide", ROMO_VS_CITES, Urgency.INFO))
    if not recs:
        return None
    return Finding(
        result="anabolic sequence: " + ", ".join(r.id for r in recs),
        used=["medications", "mentions"],
        recommendations=recs,
    )


T2D_CITES = ["leslie-2018-t2d#options", "bhof-2022#who-to-treat"]


@rule("situation-type2-diabetes-frax-below", cites=T2D_CITES)
def type2_diabetes_frax_below(f: Facts, a: Assessment) -> Finding | None:
    """Type 2 diabetes with FRAX below the thresholds: FRAX underestimates risk there, so the unadjusted "no" is
    not the answer; the sources describe corrections but name none as the rule, so it depends (leslie-2018-t2d)."""
    if not f.has("type2_diabetes") or a.because is None or a.because.statement != "decision-no-frax-below":
        return None
    if not _decides(a) or first_step(f) is not None:
        return None
    frax = a.derived.frax
    params = {
        "major": frax.major if frax else None,
        "hip": frax.hip if frax else None,
        "major_threshold": threshold("frax-major-treat").value,
        "hip_threshold": threshold("frax-hip-treat").value,
    }
    return Finding(
        result="type 2 diabetes: FRAX below the thresholds does not settle it (FRAX underestimates risk)",
        used=["conditions.type2_diabetes", "frax"],
        threshold=f"FRAX major >= {threshold('frax-major-treat')} or hip >= {threshold('frax-hip-treat')}, "
        "after a published diabetes correction",
        **_override(Decision.CONDITIONAL, "sit-t2d-because", params, T2D_CITES),
    )


TRAUMA_CITES = ["nice-cg146#fragility-fracture", "bhof-2022#fracture-after-50"]


@rule("situation-traumatic-fracture", cites=TRAUMA_CITES)
def traumatic_fracture(f: Facts, a: Assessment) -> Finding | None:
    """A fracture the text ties to high-energy trauma is not a fragility fracture (nice-cg146), but after 50 it
    is not silently dropped either (bhof-2022): said, not counted."""
    if not a.in_scope or a.intent not in BOTTOM_LINE_INTENTS:
        return None
    count = sum(1 for m in f.mentions if m.category == "fracture" and m.detail == "traumatic")
    if not count:
        return None
    older = f.age is None or f.age >= threshold("fracture-sentinel-age").value
    rec = _first(
        a, "sit-traumatic-fracture", "sit-traumatic-fracture", TRAUMA_CITES, Urgency.INFO, count=count, older=older
    )
    return Finding(
        result="traumatic fracture: not counted as a fragility fracture", used=["mentions"], recommendations=[rec]
    )
