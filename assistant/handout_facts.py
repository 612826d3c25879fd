"""The handout's "What was read": the patient's facts, each with the words it came from and its turn,
and the mentions that are not the patient's (negated, family, past, hypothetical), as read."""

from __future__ import annotations

from typing import Any

from assistant.conversation_facts import value_words
from assistant.facts import Facts, Site, Status
from assistant.render import label
from assistant.statements import num


def _words(f: Facts, path: str) -> tuple[str | None, int | None]:
    span = f.sources.get(path)
    return (span.text, span.turn) if span is not None else (None, None)


def fact_rows(f: Facts) -> list[dict[str, Any]]:
    """The recorded facts, each with the words it came from and the turn they were said in."""
    rows: list[dict[str, Any]] = []

    def add(path: str, shown: str) -> None:
        words, turn = _words(f, path)
        rows.append({"path": path, "fact": shown, "words": words, "turn": turn})

    if f.age is not None:
        add("age", f"age {f.age}")
    if f.sex is not None:  # in the words of the "Read as" line: "woman", "postmenopausal"
        add("sex", value_words("sex", f.sex) or f"sex: {f.sex.value}")
    if f.menopause is not None:
        add("menopause", value_words("menopause", f.menopause) or f"menopause: {f.menopause.value}")
    for kind, letter in (("t_scores", "T"), ("z_scores", "Z")):
        scores: dict[Site, float] = getattr(f, kind)
        for site in Site:
            if site in scores:
                add(f"{kind}.{site.value}", f"{label('sites', site.value)} {letter}-score {num(scores[site])}")
    if f.t_score_unsited is not None:
        add("t_score_unsited", f"T-score {num(f.t_score_unsited)} (site not stated)")
    if f.z_score_unsited is not None:
        add("z_score_unsited", f"Z-score {num(f.z_score_unsited)} (site not stated)")
    if f.frax is not None:
        for part, name in (("major", "FRAX major osteoporotic fracture"), ("hip", "FRAX hip fracture")):
            value = getattr(f.frax, part)
            if value is not None:
                add(f"frax.{part}", f"{name} {num(value)}%")
    if f.prior_fragility_fracture is not None:
        sites = ", ".join(s.value.replace("_", " ") for s in f.fracture_sites)
        shown = "prior fragility fracture" if f.prior_fragility_fracture else "no prior fragility fracture"
        add("prior_fragility_fracture", shown + (f" ({sites})" if sites else ""))
    for name in ("glucocorticoids", "glucocorticoid_dose_mg", "glucocorticoid_months", "egfr", "vitamin_d",
                 "calcium", "pth", "tsh", "weight_kg", "height_cm"):
        value = getattr(f, name, None)
        if value is not None:
            shown = ("yes" if value else "no") if isinstance(value, bool) else num(value)
            add(name, f"{label('fields', name)}: {shown}")
    for med in f.medications:
        years = f" for {num(med.years)} years" if med.years is not None else ""
        add(f"medications.{med.name}", f"{med.name} ({med.status.value}){years}")
    for key, value in f.conditions.items():
        add(f"conditions.{key}", f"{label('fields', key)}: {'yes' if value else 'no'}")
    return rows


def noted(f: Facts) -> list[dict[str, Any]]:
    """Mentions that are not about the patient now (negated, family, past, hypothetical), as read."""
    out = []
    for m in f.mentions:
        if m.status is Status.AFFIRMED:
            continue
        out.append({"concept": m.concept.replace("_", " "), "status": m.status.value, "words": m.span.text,
                    "turn": m.span.turn})
    return out


def facts_read(f: Facts, used: list[str] | tuple[str, ...] | Any) -> list[str]:
    """The facts behind a rule's fact paths, as shown under "What was read" ("t_scores" -> each T-score);
    a path with no value is named as not given."""
    rows = fact_rows(f)
    out: dict[str, None] = {}
    for path in used:
        hits = [r["fact"] for r in rows if r["path"] == path or r["path"].startswith(path + ".")
                or path.startswith(r["path"] + ".")]
        if path == "fracture_sites":
            hits = [r["fact"] for r in rows if r["path"] == "prior_fragility_fracture"]
        for h in hits or [f"{_short(path)}: not given"]:
            out.setdefault(h, None)
    return list(out)


def _short(path: str) -> str:
    head, _, tail = path.partition(".")
    if head in ("t_scores", "z_scores") and tail:
        return f"{label('sites', tail)} {'T' if head == 't_scores' else 'Z'}-score"
    return label("fields", tail if head in ("conditions", "medications") and tail else path)
