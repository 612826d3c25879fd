"""Follow-ups about an answer already given: "why?", "sources" / "show 2", "what do you need?".

"why?" is read off the trace: the rules that decided (scope, diagnosis, risk, decision) with the
facts each used and where those facts came from, the threshold and the passage cited; then the
other rules that applied, one line each.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Template

from assistant.corpus import Corpus, default_corpus
from assistant.engine import DECIDING_TOPICS, all_rules  # the topics whose steps explain the decision
from assistant.engine.model import Assessment, Decision, TraceStep
from assistant.facts import Facts, Site
from assistant.render import Answer, label, reference_full, with_marks
from assistant.statements import file_template, num


@lru_cache(maxsize=8)
def _template(name: str) -> Template:
    return file_template(name)


@lru_cache(maxsize=1)
def _topics() -> dict[str, str]:
    return {r.id: r.topic for r in all_rules()}


def _span(f: Facts, path: str) -> str:
    span = f.sources.get(path)
    return f'  (from "{span.text}")' if span else ""


def fact_lines(a: Assessment) -> list[str]:
    """The facts the engine saw, each with the words it came from."""
    f = a.facts
    out: list[str] = []

    def add(path: str, shown: str) -> None:
        out.append(shown + _span(f, path))

    if f.age is not None:
        add("age", f"age {f.age}")
    if f.sex is not None:
        add("sex", f"sex {f.sex.value}")
    if f.menopause is not None:
        add("menopause", f"menopause {f.menopause.value}")
    for kind, letter in (("t_scores", "T"), ("z_scores", "Z")):
        for site, value in getattr(f, kind).items():
            add(f"{kind}.{site.value}", f"{label('sites', site.value)} {letter}-score {num(value)}")
    if f.t_score_unsited is not None:
        add("t_score_unsited", f"T-score {num(f.t_score_unsited)} (site not stated)")
    if f.z_score_unsited is not None:
        add("z_score_unsited", f"Z-score {num(f.z_score_unsited)} (site not stated)")
    if f.frax is not None:
        if f.frax.major is not None:
            add("frax.major", f"FRAX major {num(f.frax.major)}%")
        if f.frax.hip is not None:
            add("frax.hip", f"FRAX hip {num(f.frax.hip)}%")
    if f.prior_fragility_fracture is not None:
        sites = ", ".join(s.value for s in f.fracture_sites)
        text = "prior fragility fracture" if f.prior_fragility_fracture else "no prior fragility fracture"
        add("prior_fragility_fracture", text + (f" ({sites})" if sites else ""))
    for name in ("glucocorticoids", "glucocorticoid_dose_mg", "egfr", "vitamin_d", "calcium"):
        value = getattr(f, name)
        if value is not None:
            shown = ("yes" if value else "no") if isinstance(value, bool) else num(value)
            add(name, f"{label('fields', name)}: {shown}")
    for med in f.medications:
        years = f" for {num(med.years)} years" if med.years is not None else ""
        out.append(f"{med.name} ({med.status.value}){years}")
    for key, value in f.conditions.items():
        add(f"conditions.{key}", f"{label('fields', key)}: {'yes' if value else 'no'}")
    return out


def _used(f: Facts, path: str) -> list[str]:
    """One fact path of a trace step as values with their words: 'FRAX major 11% (from "...")'."""
    head, _, tail = path.partition(".")
    if head in ("t_scores", "z_scores"):
        letter = "T" if head == "t_scores" else "Z"
        scores = getattr(f, head)
        sites = [Site(tail)] if tail and tail in Site._value2member_map_ else list(scores)
        return [
            f"{label('sites', s.value)} {letter}-score {num(scores[s])}{_span(f, f'{head}.{s.value}')}"
            for s in sites
            if s in scores
        ] or [f"{label('fields', path)}: not given"]
    if head == "frax":
        parts = [tail] if tail else ["major", "hip"]
        out = []
        for part in parts:
            value = getattr(f.frax, part, None) if f.frax else None
            if value is None:
                out.append(f"FRAX {part}: not given")
            else:
                out.append(f"FRAX {part} {num(value)}%{_span(f, f'frax.{part}')}")
        return out
    if head == "conditions" and tail:
        value = f.conditions.get(tail)
        shown = "not stated" if value is None else ("yes" if value else "no")
        return [f"{label('fields', tail)}: {shown}{_span(f, path)}"]
    if head == "medications":
        return [f"{m.name} ({m.status.value})" for m in f.medications] or ["osteoporosis drugs: none stated"]
    if head == "fracture_sites":
        return [f"fracture sites: {', '.join(s.value for s in f.fracture_sites) or 'none stated'}"]
    if head in Facts.model_fields:
        value = getattr(f, head)
        if value is None:
            return [f"{label('fields', head)}: not given"]
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif hasattr(value, "value"):
            shown = str(value.value)
        else:
            shown = num(value)
        return [f"{label('fields', head)}: {shown}{_span(f, head)}"]
    return [path]


def _passages(step: TraceStep, answer: Answer, corpus: Corpus) -> list[dict[str, object]]:
    out = []
    for pid in step.cites:
        p = corpus.passages.get(pid)
        if p is None:
            continue
        number = answer.number_of(pid)
        out.append({"id": pid, "where": p.where, "text": " ".join(p.text.split()), "number": number})
    return out


def explain(a: Assessment, answer: Answer, hypothetical: bool = False) -> str:
    """Why the answer is what it is: the deciding rules with facts, thresholds and passages."""
    corpus = answer.corpus or default_corpus()
    topics = _topics()
    because = None
    if a.because is not None and answer.because is not None:
        numbers = [n for n in map(answer.number_of, a.because.citations) if n is not None]
        because = with_marks(answer.because, list(dict.fromkeys(numbers)))
    decision = None
    if a.decision != Decision.NA:
        decision = f"pharmacologic treatment {label('decisions', a.decision.value)}"
    cls = a.classification
    classification = None
    if cls.category is not None:
        classification = label("categories", cls.category.value)
        if cls.lowest_t_score is not None:
            classification += f" (lowest T-score {num(cls.lowest_t_score)}"
            classification += f" at the {label('sites', cls.site.value)})" if cls.site else ")"
    steps = []
    others = []
    for step in a.trace:
        if topics.get(step.rule) in DECIDING_TOPICS:
            facts = [line for path in step.used for line in _used(a.facts, path)]
            steps.append(
                {
                    "rule": step.rule,
                    "result": step.result,
                    "facts": list(dict.fromkeys(facts)),
                    "threshold": step.threshold,
                    "passages": _passages(step, answer, corpus),
                }
            )
        else:
            others.append(step)
    return (
        _template("why.txt.j2")
        .render(
            hypothetical=hypothetical,
            decision=decision,
            because=because,
            classification=classification,
            steps=steps,
            others=others,
            facts=fact_lines(a),
        )
        .rstrip()
        + "\n"
    )


def show_sources(answer: Answer, number: int | None = None) -> str:
    """The sources the last answer cites (all, or citation `number`): each reference once, with the
    passages used under it (their locators and our wording)."""
    corpus = answer.corpus or default_corpus()
    rows = []
    for n, rid in enumerate(answer.citations, start=1):
        if number is not None and n != number:
            continue
        rows.append(
            {
                "number": n,
                "reference": reference_full(corpus, rid),
                "passages": [
                    {
                        "id": pid,
                        "where": corpus.passages[pid].where,
                        "text": " ".join(corpus.passages[pid].text.split()),
                    }
                    for pid in answer.passages.get(rid, ())
                ],
            }
        )
    empty = (
        f"There is no citation [{number}] in the last answer (it has {len(answer.citations)})."
        if number is not None
        else "The last answer cites no passages."
    )
    return _template("sources.txt.j2").render(sources=rows, empty=empty).rstrip() + "\n"


def missing(a: Assessment) -> str:
    """The facts that would change or sharpen the answer, most decisive first (the engine's order)."""
    decision = label("decisions", a.decision.value) if a.decision != Decision.NA else None
    return (
        _template("missing.txt.j2")
        .render(missing=[label("fields", m) for m in a.missing_facts], decision=decision)
        .rstrip()
        + "\n"
    )
