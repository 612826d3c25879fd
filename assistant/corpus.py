"""Load and validate corpus/: bibliographic references and the passages (our own words) that cite them.

Every problem is reported with the file, the entry and what is wrong; loading never half-succeeds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from assistant import datafiles
from assistant.datafiles import parse_yaml_file, yaml_error

CORPUS_DIR = datafiles.CORPUS_DIR

_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_PASSAGE_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*#[a-z0-9][a-z0-9.-]*$")


class CorpusError(Exception):
    """A corpus file is unreadable or invalid. The message names the file, the entry and the fault."""

    def __init__(self, file: Path | str, entry: str | None, problem: str, line: int | None = None) -> None:
        self.file = str(file)
        self.entry = entry
        self.problem = problem
        self.line = line
        where = self.file + (f":{line}" if line else "")
        what = f" entry {entry!r}" if entry else ""
        super().__init__(f"{where}:{what} {problem}".replace(": ", ": ", 1))


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    authors: str | None = None
    source: str  # journal / publisher and volume, or the organisation
    year: int | None = None  # None only when the sources sheet gives no year (some drug labels)
    url: str | None = None
    doi: str | None = None
    pmid: str | None = None
    kind: str = "guideline"  # guideline | review | trial | label | position | cohort | tool

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("id must be lower-case letters, digits, '.' or '-'")
        return v

    @field_validator("year")
    @classmethod
    def _year(cls, v: int | None) -> int | None:
        if v is not None and not 1900 <= v <= 2100:
            raise ValueError("year out of range")
        return v


class Passage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str  # "<reference id>#<slug>"
    ref: str
    where: str  # locator in the source: section, recommendation, table
    text: str
    tags: list[str] = []

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _PASSAGE_ID.match(v):
            raise ValueError("passage id must look like 'ref-id#slug'")
        return v

    @field_validator("text", "where")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise ValueError("must not be empty")
        return v


class Corpus(BaseModel):
    references: dict[str, Reference]
    passages: dict[str, Passage]

    def passage(self, pid: str) -> Passage:
        return self.passages[pid]

    def reference_of(self, pid: str) -> Reference:
        return self.references[self.passages[pid].ref]


def _read_yaml(path: Path) -> object:
    try:
        return parse_yaml_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(path, None, f"cannot be read: {exc}") from None
    except yaml_error() as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CorpusError(path, None, f"is not valid YAML: {problem}", line=line) from None


def _entry_line(path: Path, index: int) -> int | None:
    """The line where entry `index` of a YAML list starts (worked out only to report an error)."""
    try:
        import yaml  # only to report an error (datafiles imports it on first need)

        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return node.value[index].start_mark.line + 1  # type: ignore[union-attr]
    except Exception:  # the line is a courtesy: never let it hide the real error
        return None


def _entries(path: Path, data: object) -> list[dict]:
    if not isinstance(data, list):
        raise CorpusError(path, None, "must be a YAML list of entries", line=1)
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise CorpusError(path, f"#{i + 1}", "each entry must be a mapping", line=_entry_line(path, i))
    return data  # type: ignore[return-value]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "entry"
    return f"{loc}: {err['msg']}"


def load_corpus(directory: Path | str | None = None) -> Corpus:
    """Read references.yaml and passages/*.yaml, validate them, and cross-check every reference."""
    base = Path(directory) if directory is not None else CORPUS_DIR
    ref_file = base / "references.yaml"
    if not ref_file.exists():
        raise CorpusError(ref_file, None, "is missing")
    references: dict[str, Reference] = {}
    for i, item in enumerate(_entries(ref_file, _read_yaml(ref_file))):
        name = str(item.get("id", "?"))
        try:
            ref = Reference.model_validate(item)
        except ValidationError as exc:
            raise CorpusError(ref_file, name, _first_error(exc), line=_entry_line(ref_file, i)) from None
        if ref.id in references:
            raise CorpusError(ref_file, ref.id, "duplicate reference id", line=_entry_line(ref_file, i))
        references[ref.id] = ref

    passage_dir = base / "passages"
    files = sorted(passage_dir.glob("*.yaml")) if passage_dir.is_dir() else []
    if not files:
        raise CorpusError(passage_dir, None, "has no passage files (*.yaml)")
    passages: dict[str, Passage] = {}
    for path in files:
        for i, item in enumerate(_entries(path, _read_yaml(path))):
            name = str(item.get("id", "?"))
            problem: str | None = None
            try:
                p = Passage.model_validate(item)
            except ValidationError as exc:
                problem = _first_error(exc)
            else:
                if p.id in passages:
                    problem = "duplicate passage id"
                elif p.ref not in references:
                    problem = f"cites unknown reference {p.ref!r}"
                elif p.id.split("#", 1)[0] != p.ref:
                    problem = f"id must start with its reference id {p.ref!r}"
            if problem is not None:
                raise CorpusError(path, name, problem, line=_entry_line(path, i))
            passages[p.id] = p
    return Corpus(references=references, passages=passages)


@lru_cache(maxsize=1)
def default_corpus() -> Corpus:
    """The bundled corpus, loaded once per process."""
    return load_corpus()
