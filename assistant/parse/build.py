"""Found values -> Facts: one value per field, several values resolved, conflicts reported."""

from __future__ import annotations

from assistant.facts import (
    Contradiction,
    Facts,
    FractureSite,
    Frax,
    Medication,
    Menopause,
    Note,
    Question,
    Sex,
    Site,
)
from assistant.parse.found import Doubt, Found
from assistant.parse.normalise import Norm

# Enum members by value: a dict look-up, where a call to the enum costs ~50x more
SITES = {s.value: s for s in Site}
SEXES = {s.value: s for s in Sex}
MENOPAUSES = {m.value: m for m in Menopause}
FRACTURE_SITES = {s.value: s for s in FractureSite}
FLOAT_FIELDS = ("alkaline_phosphatase",
                "egfr", "vitamin_d", "calcium", "pth", "tsh", "glucocorticoid_dose_mg", "glucocorticoid_months",
                "weight_kg", "height_cm", "bmi", "t_score_unsited", "z_score_unsited")


def _same(a: object, b: object) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def build(norm: Norm, found: list[Found], doubts: list[Doubt], notes: list[tuple[str, str, list[str]]]) -> Facts:
    f = Facts()
    if not found and not doubts and not notes:
        return f  # nothing read: every field keeps its default
    groups: dict[str, list[Found]] = {}
    for x in found:
        groups.setdefault(x.path, []).append(x)
    values: dict[str, object] = {}
    for path, items in groups.items():
        policy = items[0].policy
        chosen: Found | None = None
        if policy == "collect":
            seen: list[object] = []
            for x in items:
                if x.value not in seen:
                    seen.append(x.value)
            values[path] = seen
            f.sources[path] = norm.span(items[0].start, items[-1].end) if len(items) == 1 else norm.span(
                items[0].start, items[0].end)
            continue
        distinct: list[object] = [items[0].value]
        for x in items[1:]:
            if not any(_same(x.value, d) for d in distinct):
                distinct.append(x.value)
        if policy == "fracture":
            has_true = any(x.value is True for x in items)
            denies_all = [x for x in items if x.value is False and x.detail == "any"]
            if has_true and denies_all:
                f.contradictions.append(Contradiction(
                    field=path, values=["true", "false"], spans=[norm.span(x.start, x.end) for x in items]))
                continue
            policy = "any_true"
        if policy == "any_true":
            want = True if True in distinct else distinct[0]
            chosen = next(x for x in items if x.value == want)
        elif len(distinct) == 1:
            chosen = items[0]
        elif policy == "lowest":
            chosen = min(items, key=lambda x: x.value)  # type: ignore[arg-type, return-value]
            f.notes.append(Note(kind="several_values_lowest_used", field=path, values=[_fmt(d) for d in distinct]))
        elif policy == "highest":
            chosen = max(items, key=lambda x: x.value)  # type: ignore[arg-type, return-value]
            f.notes.append(Note(kind="several_values_highest_used", field=path, values=[_fmt(d) for d in distinct]))
        else:
            f.contradictions.append(
                Contradiction(
                    field=path,
                    values=[_fmt(d) for d in distinct],
                    spans=[norm.span(x.start, x.end) for x in items],
                )
            )
            continue
        values[path] = chosen.value
        f.sources[path] = norm.span(chosen.start, chosen.end)
    _doubt_what_cannot_be(f, norm, values, groups)
    for kind, field, vals in notes:
        f.notes.append(Note(kind=kind, field=field, values=vals))
    for d in doubts:
        f.questions.append(Question(field=d.path, value=d.value, reason=d.reason, span=norm.span(d.start, d.end)))
    _apply(f, values)
    return f


def _doubt_what_cannot_be(f: Facts, norm: Norm, values: dict[str, object], groups: dict[str, list[Found]]) -> None:
    """Values that are each plausible but cannot be true together are asked back, not used."""
    major, hip = values.get("frax.major"), values.get("frax.hip")
    if isinstance(major, float) and isinstance(hip, float) and hip > major:
        span = f.sources.get("frax.hip")
        f.questions.append(Question(
            field="frax", value=f"major {major:g}%, hip {hip:g}%",
            reason="the hip fracture probability cannot be higher than the major osteoporotic one", span=span))
        for key in ("frax.major", "frax.hip"):
            values.pop(key, None)
            f.sources.pop(key, None)
    if values.get("conditions.osteopenia_stated") is not True \
            and values.get("conditions.osteoporosis_stated") is not True:
        return  # no low bone mass stated
    for path in [p for p in values if p.startswith("t_scores.") or p == "t_score_unsited"]:
        v = values[path]
        chosen = next((x for x in groups.get(path, []) if x.value == v), None)
        if isinstance(v, float) and v > 0 and chosen is not None and chosen.unsigned:
            f.questions.append(Question(
                field=path, value=f"{v:g}",
                reason="a positive T-score does not fit low bone mass: is a minus sign missing?",
                span=f.sources.get(path)))
            values.pop(path)
            f.sources.pop(path, None)


def _apply(f: Facts, values: dict[str, object]) -> None:
    # postmenopausal implies female, unless the sex is in question
    sex_in_doubt = bool(f.contradictions) and any(c.field == "sex" for c in f.contradictions)
    if values.get("menopause") is not None and "sex" not in values and not sex_in_doubt:
        if values.get("_sex_ambiguous") is None:
            values["sex"] = "female"
            if "menopause" in f.sources:
                f.sources["sex"] = f.sources["menopause"]
    major: float | None = None
    hip: float | None = None
    for path, v in values.items():
        if path.startswith("_"):
            continue
        if path == "age":
            f.age = int(v)  # type: ignore[call-overload]
        elif path == "ckd_stage":
            f.ckd_stage = int(v)  # type: ignore[call-overload]
        elif path == "sex":
            f.sex = SEXES[v]  # type: ignore[index]
        elif path == "menopause":
            f.menopause = MENOPAUSES[v]  # type: ignore[index]
        elif path.startswith("t_scores."):
            f.t_scores[SITES[path[9:]]] = float(v)  # type: ignore[arg-type]  # (after "t_scores.")
        elif path.startswith("z_scores."):
            f.z_scores[SITES[path[9:]]] = float(v)  # type: ignore[arg-type]  # (after "z_scores.")
        elif path == "frax.major":
            major = float(v)  # type: ignore[arg-type]
        elif path == "frax.hip":
            hip = float(v)  # type: ignore[arg-type]
        elif path == "prior_fragility_fracture":
            f.prior_fragility_fracture = bool(v)
        elif path == "fracture_sites":
            f.fracture_sites = [FRACTURE_SITES[s] for s in v]  # type: ignore[attr-defined]
        elif path == "glucocorticoids":
            f.glucocorticoids = bool(v)
        elif path == "egfr_is_crcl":
            f.egfr_is_crcl = bool(v)
        elif path.startswith("conditions."):
            f.conditions[path.split(".", 1)[1]] = bool(v)
        elif path in FLOAT_FIELDS:
            setattr(f, path, float(v))  # type: ignore[arg-type]
    if major is not None or hip is not None:
        f.frax = Frax(major=major, hip=hip)
    if f.glucocorticoid_dose_mg is not None and f.glucocorticoids is None:
        f.glucocorticoids = True
    if f.prior_fragility_fracture is not True and f.fracture_sites:
        f.fracture_sites = []


def medications(meds: list, norm: Norm) -> list[Medication]:
    out = []
    for m in meds:
        out.append(
            Medication(name=m.name, status=m.status, years=m.years, since=m.since, last=m.last,
                       months_since_last=m.months_since_last, span=norm.span(m.start, m.end))
        )
    return out
