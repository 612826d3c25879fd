"""An Observation's unit, checked against the units corpus/fhir_codes.yaml accepts for its fact.

The conversion factors live once, in assistant/parse/labs.py (the parser converts the same units).
"""

from __future__ import annotations

from assistant.parse.labs import MG_DL_PER_MMOL_CALCIUM, NMOL_PER_NG
from assistant.service.codes import UNIT_KIND, CodeBook

_CONVERSIONS = {
    "nmol_to_ng_ml": lambda v: round(v / NMOL_PER_NG, 1),
    "mmol_to_mg_dl": lambda v: round(v * MG_DL_PER_MMOL_CALCIUM, 1),
}


def normal_unit(unit: str | None) -> str:
    """'mL/min/{1.73_m2}' -> 'ml/min/1.73m2': lower case, without spaces, braces around a number, underscores."""
    if not unit:
        return ""
    u = unit.strip().lower().replace(" ", "").replace("_", "")
    if u.count("{") == 1 and "{1.73" in u:
        u = u.replace("{", "").replace("}", "")
    return u


def to_fact_unit(book: CodeBook, fact: str, value: float, unit: str | None) -> tuple[float | None, str]:
    """(value in the fact's unit, how it was read) or (None, why it was set aside)."""
    rule = book.units[UNIT_KIND[fact]]
    u = normal_unit(unit)
    if u in rule.accept:
        return value, ""
    conversion = rule.convert.get(u)
    if conversion is not None:
        converted = _CONVERSIONS[conversion](value)
        return converted, f"converted from {value:g} {unit}"
    return None, f"unit {unit or '(none)'!s} is not one this service reads for it"
