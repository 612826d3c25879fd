"""Follow-ups about an answer already given: "why?", "sources" / "show 2", "what do you need?"."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Template

from assistant.engine.model import Assessment, Decision
from assistant.render import Answer, label
from assistant.statements import PROMPTS_DIR, make_environment, num


@lru_cache(maxsize=4)
def _template(name: str) -> Template:
    return make_environment().from_string((PROMPTS_DIR / name).read_text(encoding="utf-8"))


def fact_lines(a: Assessment) -> list[str]:
    """The facts the engine saw, each with the words it came from."""
    f = a.facts
    out: list[str] = []

    def add(path: str, shown: str) -> None:
        span = f.sources.get(path)
        out.append(f'{shown}  (from "{span.text}")' if span else shown)

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
    for name in ("glucocorticoids", "egfr", "vitamin_d", "calcium"):
        value = getattr(f, name)
        if value is not None:
            shown = ("yes" if value else "no") if isinstance(value, bool) else num(value)
            add(name, f"{label('fields', name)}: {shown}")
    for med in f.medications:
        years = f" for {num(med.years)} years" if med.years is not None else ""
        out.append(f"{med.name} ({med.status.value}){years}")
    for key, value in sorted(f.conditions.items()):
        add(f"conditions.{key}", f"{label('fields', key)}: {'yes' if value else 'no'}")
    return out


def explain(a: Assessment, answer: Answer) -> str:
    because = answer.headline.text if answer.headline and a.because else None
    decision = None
    if a.decision != Decision.NA:
        decision = f"pharmacologic treatment {label('decisions', a.decision.value)}"
    return _template("why.txt.j2").render(
        decision=decision, because=because, steps=a.trace, facts=fact_lines(a)
    ).rstrip() + "\n"


def show_sources(answer: Answer, number: int | None = None) -> str:
    corpus = answer.corpus
    from assistant.corpus import default_corpus

    corpus = corpus or default_corpus()
    rows = []
    for n, pid in enumerate(answer.citations, start=1):
        if number is not None and n != number:
            continue
        p = corpus.passages[pid]
        ref = corpus.references[p.ref]
        authors = f"{ref.authors}. " if ref.authors else ""
        rows.append(
            {
                "number": n,
                "passage_id": pid,
                "where": p.where,
                "text": p.text,
                "reference": f"{authors}{ref.title}. {ref.source}" + (f" ({ref.year})." if ref.year else "."),
                "url": ref.url,
            }
        )
    empty = (
        f"There is no citation [{number}] in the last answer (it has {len(answer.citations)})."
        if number is not None
        else "The last answer cites no passages."
    )
    return _template("sources.txt.j2").render(sources=rows, empty=empty).rstrip() + "\n"


def missing(a: Assessment) -> str:
    return _template("missing.txt.j2").render(missing=[label("fields", m) for m in a.missing_facts]).rstrip() + "\n"
