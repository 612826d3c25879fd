"""The FHIR codes the service knows (corpus/fhir_codes.yaml), loaded once and checked for shape.

A code is looked up by (system URL, code); ICD-10-CM entries marked `prefix` also match every code
under them ("M80.08XA" is under "M80"). A code that is not here is never guessed at.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.corpus import CORPUS_DIR
from assistant.datafiles import read_yaml
from assistant.facts import KNOWN_CONDITIONS, FractureSite, Site

CODES_FILE = CORPUS_DIR / "fhir_codes.yaml"

ObservationFact = Literal["t_score", "z_score", "frax_major", "frax_hip", "egfr", "vitamin_d", "calcium", "ignore"]
UNIT_KIND: dict[str, str] = {
    "t_score": "score",
    "z_score": "score",
    "frax_major": "percent",
    "frax_hip": "percent",
    "egfr": "egfr",
    "vitamin_d": "vitamin_d",
    "calcium": "calcium",
    "ignore": "score",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ObservationCode(_Strict):
    code: str
    meaning: str
    fact: ObservationFact
    site: Site | None = None
    note: str | None = None
    checked: str


class ConditionCode(_Strict):
    system: Literal["icd10cm", "snomed"]
    code: str
    meaning: str
    prefix: bool = False
    conditions: dict[str, bool] = Field(default_factory=dict)
    fracture: FractureSite | None = None
    ckd_stage: int | None = Field(default=None, ge=1, le=5)
    glucocorticoids: bool | None = None
    checked: str | None = None  # the page the code was checked on (None: not checked here, see the file's end)


class MedicationCode(_Strict):
    code: str
    meaning: str
    drug: str | None = None
    glucocorticoid: bool = False
    # mg of prednisone one mg of this glucocorticoid is worth (1 for prednisone and prednisolone); None: the dose is
    # not converted and no dose band is applied. Each factor names the passage it comes from.
    prednisone_factor: float | None = Field(default=None, gt=0, le=10)
    factor_source: str | None = None
    conditions: dict[str, bool] = Field(default_factory=dict)
    checked: str | None = None


class UnitRule(_Strict):
    accept: list[str]
    convert: dict[str, Literal["nmol_to_ng_ml", "mmol_to_mg_dl"]] = Field(default_factory=dict)


class RouteCode(_Strict):
    code: str
    meaning: str


class CodeBook(_Strict):
    systems: dict[str, str]
    units: dict[str, UnitRule]
    local_routes: list[RouteCode] = Field(default_factory=list)
    observations: list[ObservationCode]
    conditions: list[ConditionCode]
    medications: list[MedicationCode]

    def observation(self, system: str | None, code: str | None) -> ObservationCode | None:
        if system != self.systems["loinc"] or code is None:
            return None
        return _observation_index(self).get(code)

    def condition(self, system: str | None, code: str | None) -> ConditionCode | None:
        if system is None or code is None:
            return None
        exact, prefixes = _condition_index(self)
        hit = exact.get((system, code))
        if hit is not None:
            return hit
        for (sys_url, stem), entry in prefixes:
            if sys_url == system and code.startswith(stem):
                return entry
        return None

    def medication(self, system: str | None, code: str | None) -> MedicationCode | None:
        if system != self.systems["rxnorm"] or code is None:
            return None
        return _medication_index(self).get(code)

    def local_route(self, system: str | None, code: str | None) -> RouteCode | None:
        """A SNOMED CT route that is not oral or systemic (topical, intra-articular, ...), or None."""
        if system != self.systems["snomed"] or code is None:
            return None
        return next((r for r in self.local_routes if r.code == code), None)

    def observation_codes(self) -> list[str]:
        """The LOINC codes worth asking an EHR for (those that give a fact)."""
        return [o.code for o in self.observations if o.fact != "ignore"]


_INDEXES: dict[int, object] = {}


def _observation_index(book: CodeBook) -> dict[str, ObservationCode]:
    key = id(book) * 3
    if key not in _INDEXES:
        _INDEXES[key] = {o.code: o for o in book.observations}
    return _INDEXES[key]  # type: ignore[return-value]


def _condition_index(
    book: CodeBook,
) -> tuple[dict[tuple[str, str], ConditionCode], list[tuple[tuple[str, str], ConditionCode]]]:
    key = id(book) * 3 + 1
    if key not in _INDEXES:
        exact = {(book.systems[c.system], c.code): c for c in book.conditions}
        # Longest stems first, so "N18.3" wins over a shorter stem of the same branch.
        prefixes = sorted(
            (((book.systems[c.system], c.code), c) for c in book.conditions if c.prefix), key=lambda p: -len(p[0][1])
        )
        _INDEXES[key] = (exact, prefixes)
    return _INDEXES[key]  # type: ignore[return-value]


def _medication_index(book: CodeBook) -> dict[str, MedicationCode]:
    key = id(book) * 3 + 2
    if key not in _INDEXES:
        _INDEXES[key] = {m.code: m for m in book.medications}
    return _INDEXES[key]  # type: ignore[return-value]


class CodeBookError(ValueError):
    """corpus/fhir_codes.yaml is malformed or names a fact the engine does not know."""


def load_codes(path: Path | None = None) -> CodeBook:
    raw = read_yaml(Path(path or CODES_FILE))
    try:
        book = CodeBook.model_validate(raw)
    except ValueError as exc:
        raise CodeBookError(f"{path or CODES_FILE}: {exc}") from None
    unknown = sorted(
        {k for c in book.conditions for k in c.conditions} | {k for m in book.medications for k in m.conditions}
    )
    unknown = [k for k in unknown if k not in KNOWN_CONDITIONS]
    unsourced = [m.code for m in book.medications if m.prednisone_factor is not None and not m.factor_source]
    if unsourced:
        raise CodeBookError(f"{path or CODES_FILE}: prednisone factors without a source: {unsourced}")
    if unknown:
        raise CodeBookError(f"{path or CODES_FILE}: unknown condition keys {unknown}")
    for kind in set(UNIT_KIND.values()):
        if kind not in book.units:
            raise CodeBookError(f"{path or CODES_FILE}: no unit rule for {kind!r}")
    return book


@lru_cache(maxsize=1)
def codes() -> CodeBook:
    """The bundled code book (read once per process)."""
    return load_codes()
