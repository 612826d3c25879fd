"""The direct answer: the first sentence of an answer, answering the question that was asked.

Each question kind (treat?, which drug?, can she stop?, how long?, when to repeat the DXA / can it
wait N years?, which labs?, the kidneys?, is it safe with X?, two bone drugs together?, a dose early,
late or missed?, what comes after this drug?) gets a lead naming its subject, followed by the
engine's own statement for it: every number comes from the engine, with its citations. What the
patient already takes changes the answer (continue, switch, holiday, never stop without a follow-on).
Words are in prompts/direct.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Template

from assistant.brief import head
from assistant.brief import rules as brief_rules
from assistant.datafiles import read_yaml
from assistant.engine.model import Assessment, Decision, Recommendation, Section
from assistant.facts import Intent, Status
from assistant.statements import PROMPTS_DIR, compile_template, num, render_kept, render_statement

# Drug groups (lexicon concept names).
DENOSUMAB = "denosumab"
ANABOLICS = ("teriparatide", "abaloparatide", "romosozumab")
BISPHOSPHONATES = ("alendronate", "risedronate", "ibandronate", "zoledronic_acid")
# Passages on giving an anabolic first and an antiresorptive after it (corpus/passages/decision.yaml).
SEQUENCE_PASSAGES = ("endo-2020#anabolic-sequence", "aace-2020#anabolic-then-antiresorptive")

_WAIT = re.compile(r"\bwait\s+(?:for\s+)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b")
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_TIMING = (
    ("missed", ("missed", "miss ", "forgot", "skipped")),
    ("late", ("late", "overdue", "delay", "behind")),
    ("early", ("early", "too soon", "ahead")),
)
_DENTAL = ("dental", "tooth", "teeth", "extraction", "implant", "dentist", "oral surgery")
_RENAL = ("kidney", "renal", "egfr", "gfr", "crcl", "creatinine", "ckd", "dialysis")
_SUBJECT = re.compile(
    r"\b(?:with|during|before|alongside|while on|while)\s+(?:a |an |the |her |his )?([\w\s-]{2,40}?)\s*(?:\?|$|\.|,)"
)


@dataclass(frozen=True)
class Direct:
    text: str
    citations: list[str]
    kind: str


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return dict(read_yaml(PROMPTS_DIR / "direct.yaml"))


@lru_cache(maxsize=64)
def _template(key: str) -> Template:
    return compile_template("direct:" + key, " ".join(str(_words()[key]).split()))


def _say(key: str, **values: Any) -> str:
    rec = values.get("rec")
    values["rec_lc"] = rec  # the statement after a colon: "Kidneys: the choice depends ..."
    if isinstance(rec, str) and rec[:1].isupper() and not rec[1:2].isupper():
        values["rec_lc"] = rec[0].lower() + rec[1:]
    return render_kept("direct:" + key, _template(key), values).strip()  # kept by its exact values, as statements


def without_verdict(text: str) -> str:
    """A direct answer without its opening verdict ("Treat: no. "), for a line that has already said it."""
    for verdict in _words()["verdicts"].values():
        if text.startswith(verdict + " "):
            return text[len(verdict) + 1 :]
    return text


def drug_name(name: str) -> str:
    return name.replace("_", " ")


class _Recs:
    """The assessment's recommendations by id, worded once."""

    def __init__(self, a: Assessment, words: Callable[[Recommendation], str]) -> None:
        self.recs = a.recommendations
        self._words = words

    def first(self, *prefixes: str, section: Section | None = None) -> Recommendation | None:
        for p in prefixes:
            for r in self.recs:
                if r.id.startswith(p) and (section is None or r.section == section):
                    return r
        return None

    def text(self, rec: Recommendation) -> str:
        return self._words(rec)


def _full_words(rec: Recommendation) -> str:
    return render_statement(rec.statement, rec.params)


def direct_answer(
    intent: Intent,
    a: Assessment,
    question: str,
    named: list[str],
    *,
    words: Callable[[Recommendation], str] = _full_words,
    recognised: bool = True,
) -> Direct | None:
    """The direct answer for a question of kind `intent`, or None (meta questions, out of scope).
    `named`: the bone drugs the question names, in order. `recognised`: False when the parser found no
    question kind in a question (the answer then says what it understood and answers the nearest thing)."""
    if not a.in_scope:
        return None
    recs = _Recs(a, words)
    q = question.lower()
    f = a.facts
    current = [m.name for m in f.medications if m.status in (Status.AFFIRMED, Status.HISTORICAL)]
    drug = next(iter(named), None) or next(iter(current), None)
    out: Direct | None
    # "Is it safe / OK to give?" is answered by the first step too, unless it asks about teeth or kidneys.
    safe_first = intent == Intent.SAFE_WITH and not any(w in q for w in (*_DENTAL, *_RENAL))
    first = _first_step(recs, a) if intent in _FIRST_STEP_INTENTS or safe_first else None
    stopped = _stopped_denosumab(recs) if intent in _STOPPED_DENOSUMAB_INTENTS else None
    if first is not None:
        out: Direct | None = first
    elif stopped is not None:
        out = stopped
    elif intent in (Intent.DENOSUMAB_STOP,) or (intent == Intent.DRUG_HOLIDAY_OR_DURATION and "stop" in q):
        out = _stop(recs, drug, named, current)
    elif intent == Intent.DRUG_HOLIDAY_OR_DURATION:
        out = _duration(recs, a, drug)
    elif intent == Intent.NEXT_DRUG:
        out = _next(recs, a, drug)
    elif intent == Intent.COMBINATION:
        out = _combination(named or current)
    elif intent == Intent.DOSE_TIMING:
        out = _timing(recs, drug, q)
    elif intent == Intent.SAFE_WITH:
        out = _safe_with(recs, a, drug, q)
    elif intent == Intent.RENAL_DOSING:
        out = _kidneys(recs, a)
    elif intent == Intent.MONITORING_INTERVAL:
        out = _dxa(recs, a, q)
    elif intent == Intent.LABS_WORKUP:
        out = _labs(recs)
    elif intent == Intent.DRUG_CHOICE:
        out = _drug(recs, a, current)
    elif intent in (
        Intent.MANAGEMENT_OVERALL,
        Intent.TREAT_OR_NOT,
        Intent.FULL_PLAN,
        Intent.FACTS_ONLY,
        Intent.GLUCOCORTICOID,  # a question on steroids: the ACR 2022 stratum decides treatment
    ):
        out = _treat(recs, a, current)
    else:
        return None
    if out is None:
        return None
    if not recognised:
        about = _about_drug(recs, named[0]) if named and out.kind == "treat" else None
        if about is not None:  # "what about Prolia?": what the plan says about that drug is the nearest answer
            out = about
        nearest = {"treat": "the treatment decision", "first step": "the first step"}.get(out.kind, out.kind)
        kind = _understood(a, named)
        text = _say("unknown", kind=kind, nearest=nearest, rec=out.text)
        return Direct(text, out.citations, "unknown")
    return out


# Question kinds a situation's first step answers (prompts/direct.yaml first_steps): whether to treat, continue,
# stop (a drug other than denosumab, whose stop answer names its follow-on), how long, what next, which drug.
_FIRST_STEP_INTENTS = frozenset(
    {
        Intent.MANAGEMENT_OVERALL,
        Intent.TREAT_OR_NOT,
        Intent.FULL_PLAN,
        Intent.FACTS_ONLY,
        Intent.DRUG_CHOICE,
        Intent.DRUG_HOLIDAY_OR_DURATION,
        Intent.NEXT_DRUG,
        Intent.DOSE_TIMING,
        Intent.GLUCOCORTICOID,
    }
)


# Question kinds that a denosumab already stopped without a follow-on answers with that follow-on and its timing
# (whether to stop is no longer the question; nor whether to start, which drug, what next or a dose).
_STOPPED_DENOSUMAB_INTENTS = _FIRST_STEP_INTENTS | {Intent.DENOSUMAB_STOP, Intent.DOSE}


def _stopped_denosumab(recs: _Recs) -> Direct | None:
    """Denosumab already stopped: the follow-on, when it is due and what it is (or that it followed)."""
    rec = recs.first("safety-denosumab-follow-on")
    if rec is None or not (rec.params.get("stopped") or rec.params.get("followed")):
        return None
    return Direct(_say("stopped_denosumab", rec=recs.text(rec)), list(rec.citations), "after stopping denosumab")


def _first_step(recs: _Recs, a: Assessment) -> Direct | None:
    """The statement of a situation whose first step comes before the routine advice, or None."""
    keys = _words()["first_steps"]
    if a.because is not None and a.because.statement in keys:
        text = render_statement(a.because.statement, a.because.params)
        return Direct(_say("first_step", rec=text), list(a.because.citations), "first step")
    by_statement: dict[str, Recommendation] = {}  # each statement's first recommendation, in one pass
    for r in recs.recs:
        by_statement.setdefault(r.statement, r)
    for key in keys:
        rec = by_statement.get(key)
        if rec is not None:
            return Direct(_say("first_step", rec=recs.text(rec)), list(rec.citations), "first step")
    return None


def _fracture_on_drug(recs: _Recs, a: Assessment, drug: str | None) -> Direct | None:
    """A fracture while on a drug (very high risk, AACE/ACE): the very-high-risk plan, not 'continue'."""
    if drug is None or not a.facts.has("fracture_on_therapy"):
        return None
    rec = recs.first("very-high-risk-sequence")
    if rec is None:
        return None
    return Direct(_say("fracture_on_drug", drug=drug_name(drug), rec=recs.text(rec)), list(rec.citations), "what next")


def _about_drug(recs: _Recs, drug: str) -> Direct | None:
    """What the plan says about one drug (its own item, or the item on it as the drug taken), or None."""
    key = drug.replace("_", "-")
    rec = recs.first(f"drug-current-{key}", f"drug-{key}")
    if rec is None or _is_lead(recs, rec):
        return None
    return Direct(recs.text(rec), list(rec.citations), f"what the plan says about {drug_name(drug)}")


def _understood(a: Assessment, named: list[str]) -> str:
    bits = []
    if named:
        bits.append("a question about " + " and ".join(drug_name(n) for n in named))
    else:
        bits.append("a question about this patient")
    return bits[0]


def _from(rec: Recommendation | None, recs: _Recs) -> tuple[str, list[str]] | None:
    if rec is None:
        return None
    return recs.text(rec), list(rec.citations)


def _treat(recs: _Recs, a: Assessment, current: list[str]) -> Direct | None:
    if current:
        failed = _fracture_on_drug(recs, a, current[0])
        if failed is not None:
            return failed
        rec = recs.first("safety-denosumab-follow-on", "duration-", "drug-current-")
        if rec is not None:
            taking = {m.name for m in a.facts.medications if m.status is Status.AFFIRMED}
            key = "treat_on_drug" if any(d in taking for d in current) else "treat_after_drug"  # (only stopped)
            text = _say(key, drug=" and ".join(drug_name(d) for d in current), rec=recs.text(rec))
            return Direct(text, list(rec.citations), "treat")
    if a.because is None or a.decision == Decision.NA:
        return None
    own = a.because.statement in _words()["own_verdict"]
    verdict = "" if own else _words()["verdicts"].get(a.decision.value, "")
    because = render_statement(a.because.statement, a.because.params)
    return Direct(_say("treat", verdict=verdict, rec=because), list(a.because.citations), "treat")


def _drug(recs: _Recs, a: Assessment, current: list[str]) -> Direct | None:
    rec = next((r for key in _words()["drug_first"] for r in recs.recs if r.statement == key), None)
    rec = rec or (recs.first("drug-current-") if current else None)
    # The first drug named, not a lead line that introduces the items after it ("the alternatives are:").
    rec = rec or next(
        (r for r in recs.recs if r.id.startswith("drug-") and r.section == Section.DRUGS and not _is_lead(recs, r)),
        None,
    )
    if rec is None:
        return _treat(recs, a, current)
    key = "drug_not_indicated" if a.decision == Decision.NO and not current else "drug"
    return Direct(_say(key, rec=recs.text(rec)), list(rec.citations), "which drug")


def _is_lead(recs: _Recs, rec: Recommendation) -> bool:
    return recs.text(rec).rstrip().endswith(":")


def _stop(recs: _Recs, drug: str | None, named: list[str], current: list[str]) -> Direct | None:
    if DENOSUMAB in named or (not named and DENOSUMAB in current) or drug == DENOSUMAB:
        rec = recs.first("safety-denosumab-follow-on", "duration-denosumab")
        if rec is not None:
            return Direct(_say("stop_denosumab", rec=recs.text(rec)), list(rec.citations), "stopping denosumab")
    rec = recs.first("duration-bisphosphonate", "duration-", "safety-")
    if rec is None:
        return None
    name = drug_name(drug) if drug else "treatment"
    return Direct(_say("stop", drug=name, rec=recs.text(rec)), list(rec.citations), f"stopping {name}")


def _duration(recs: _Recs, a: Assessment, drug: str | None) -> Direct | None:
    failed = _fracture_on_drug(recs, a, drug)
    if failed is not None:
        return failed
    own = f"duration-{drug.replace('_', '-')}" if drug else None
    rec = recs.first(*([own] if own else []), "duration-bisphosphonate", "duration-denosumab", "duration-")
    if rec is None:
        return None
    if drug:
        text = _say("duration", drug=drug_name(drug), rec=recs.text(rec))
    else:
        text = _say("duration_general", rec=recs.text(rec))
    return Direct(text, list(rec.citations), "treatment length")


def _next(recs: _Recs, a: Assessment, drug: str | None) -> Direct | None:
    if drug == DENOSUMAB:
        rec = recs.first("safety-denosumab-follow-on", "duration-denosumab")
        if rec is not None:
            return Direct(_say("next_denosumab", rec=recs.text(rec)), list(rec.citations), "what follows denosumab")
    if drug in ANABOLICS:
        return Direct(_say("next_anabolic", drug=drug_name(drug)), list(SEQUENCE_PASSAGES), f"what follows {drug}")
    failed = _fracture_on_drug(recs, a, drug)
    if failed is not None:
        return failed
    rec = recs.first("duration-bisphosphonate", "duration-")
    if rec is None:
        return None
    name = drug_name(drug) if drug else "a bisphosphonate"
    return Direct(_say("next_bisphosphonate", drug=name, rec=recs.text(rec)), list(rec.citations), "what comes next")


def _combination(drugs: list[str]) -> Direct:
    names = " and ".join(drug_name(d) for d in dict.fromkeys(drugs)) or "Two bone drugs"
    key = "combination" if any(d in ANABOLICS for d in drugs) else "combination_antiresorptives"
    return Direct(_say(key, drugs=names[0].upper() + names[1:]), list(SEQUENCE_PASSAGES), "two drugs together")


def _timing(recs: _Recs, drug: str | None, q: str) -> Direct | None:
    timing = next((t for t, cues in _TIMING if any(c in q for c in cues)), "late")
    if drug == DENOSUMAB and timing != "early":
        rec = recs.first("safety-denosumab-follow-on", "drug-denosumab", "drug-current-denosumab")
        if rec is not None:
            text = _say("dose_late_denosumab", timing=timing, rec=recs.text(rec))
            return Direct(text, list(rec.citations), f"a {timing} denosumab dose")
    rec = None
    if drug:
        rec = recs.first(f"drug-{drug.replace('_', '-')}", f"drug-current-{drug.replace('_', '-')}")
    got = _from(rec, recs)
    text = _say("dose_timing", drug=drug_name(drug) if drug else None, timing=timing, rec=got[0] if got else None)
    cites = got[1] if got else [p for p in [_words()["dosing"].get(drug or "")] if p]
    return Direct(text, cites, f"a dose given {timing}")


def _safe_with(recs: _Recs, a: Assessment, drug: str | None, q: str) -> Direct | None:
    if any(w in q for w in _RENAL):
        return _kidneys(recs, a)
    name = drug_name(drug) if drug else None
    if any(w in q for w in _DENTAL):
        rec = recs.first("safety-dental")
        if rec is not None:
            return Direct(_say("dental", drug=name, rec=recs.text(rec)), list(rec.citations), "dental work")
    m = _SUBJECT.search(q)
    subject = m.group(1).strip() if m else "that"
    rec = recs.first("safety-", section=Section.SAFETY)
    got = _from(rec, recs)
    if got is None:
        return None
    return Direct(_say("safe_unknown", drug=name, subject=subject, rec=got[0]), got[1], "safety")


def _kidneys(recs: _Recs, a: Assessment) -> Direct | None:
    rec = recs.first("drug-renal-known", "safety-renal-", "drug-renal-", "special-ckd")
    if rec is None:
        return None
    egfr = None
    if a.facts.egfr is not None:
        value = num(a.facts.egfr)
        egfr = f"creatinine clearance {value} mL/min" if a.facts.egfr_is_crcl else f"eGFR {value} mL/min/1.73 m2"
    return Direct(_say("kidneys", egfr=egfr, rec=recs.text(rec)), list(rec.citations), "kidney function")


def _dxa(recs: _Recs, a: Assessment, q: str) -> Direct | None:
    treated = bool(a.facts.current_drugs()) or a.decision == Decision.YES
    order = ("monitor-on-treatment", "monitor-untreated") if treated else ("monitor-untreated", "monitor-on-treatment")
    rec = recs.first(*order, "monitor-")
    if rec is None:
        return None
    m = _WAIT.search(q)
    if m is None:
        return Direct(_say("dxa", rec=recs.text(rec)), list(rec.citations), "the repeat DXA")
    asked = m.group(1)
    years = int(asked) if asked.isdecimal() else _WORD_NUMBERS[asked]
    limit = rec.params.get("rounded") if rec.id.startswith("monitor-untreated") else rec.params.get("hi")
    if not isinstance(limit, (int, float)):
        return Direct(_say("dxa", rec=recs.text(rec)), list(rec.citations), "the repeat DXA")
    key = "dxa_wait_yes" if years <= limit else "dxa_wait_no"
    return Direct(_say(key, years=years, rec=recs.text(rec)), list(rec.citations), "the repeat DXA")


def _labs(recs: _Recs) -> Direct | None:
    tests = [r for r in recs.recs if r.section == Section.WORKUP and r.id not in brief_rules().always_omit]
    heads: list[str] = []
    cites: list[str] = []
    for r in tests:
        h = head(recs.text(r))
        if h is None:
            continue
        heads.append(h[0].lower() + h[1:] if not h[1:2].isupper() else h)
        cites.extend(c for c in r.citations if c not in cites)
    if not heads:
        rec = tests[0] if tests else None
        got = _from(rec, recs)
        if got is None:
            return None
        return Direct(_say("labs", rec=got[0]), got[1], "the laboratory work-up")
    return Direct(_say("labs", rec="; ".join(heads) + "."), cites, "the laboratory work-up")
