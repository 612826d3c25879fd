"""Assessment -> Answer: the words, the numbered citations and the three formats (text, Markdown, JSON).

Templates in prompts/ hold the wording; this module holds only the selection and numbering logic.
Citation numbers are given in order of first use in the shown answer, and each number resolves to a
stored passage (and through it to a reference).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Template

from assistant.corpus import Corpus, default_corpus
from assistant.datafiles import read_yaml
from assistant.engine.model import SECTION_ORDER, Assessment, Decision, Recommendation, Section
from assistant.facts import Intent
from assistant.statements import PROMPTS_DIR, compile_template, file_template, render_kept, render_statement

SCHEMA = "assistant.answer/1"


class LazyTemplates:
    """Short templates by key, compiled on first use (most answers need only a few of them)."""

    def __init__(self, prefix: str, sources: dict[str, str]) -> None:
        self._prefix = prefix
        self._sources = sources
        self._compiled: dict[str, Template] = {}

    def get(self, key: str) -> Template | None:
        if key not in self._sources:
            return None
        return self[key]

    def __getitem__(self, key: str) -> Template:
        template = self._compiled.get(key)
        if template is None:
            template = self._compiled[key] = compile_template(f"{self._prefix}:{key}", self._sources[key])
        return template

    def __contains__(self, key: object) -> bool:
        return key in self._sources


@dataclass(frozen=True)
class Prompts:
    disclaimer: str
    labels: dict[str, dict[str, str]]
    sections: dict[str, list[str] | str]
    messages: LazyTemplates
    notes: LazyTemplates

    @property
    def text(self) -> Template:
        return file_template("answer.txt.j2")

    @property
    def markdown(self) -> Template:
        return file_template("answer.md.j2")


@lru_cache(maxsize=1)
def prompts() -> Prompts:
    """Load the prompts/ data once per process; templates compile on first use."""
    messages_raw = dict(read_yaml(PROMPTS_DIR / "messages.yaml"))
    notes_raw = messages_raw.pop("notes", {})
    return Prompts(
        disclaimer=" ".join((PROMPTS_DIR / "disclaimer.txt").read_text(encoding="utf-8").split()),
        labels=read_yaml(PROMPTS_DIR / "labels.yaml"),
        sections=read_yaml(PROMPTS_DIR / "sections.yaml"),
        messages=LazyTemplates("message", messages_raw),
        notes=LazyTemplates("note", notes_raw),
    )


def message(key: str, **params: Any) -> str:
    """A short fixed message from prompts/messages.yaml, filled in."""
    return render_kept("message:" + key, prompts().messages[key], params)


def label(kind: str, key: str) -> str:
    return prompts().labels.get(kind, {}).get(key, key.replace("_", " "))


@dataclass(slots=True)
class Item:
    text: str
    citations: list[int] = field(default_factory=list)
    rec: Recommendation | None = None

    def rendered(self, style: str = "text") -> str:
        return with_marks(self.text, self.citations)


def with_marks(text: str, citations: list[int]) -> str:
    """'words [1, 3]': the text with its citation numbers."""
    if not citations:
        return text
    if len(citations) == 1:  # most statements cite one passage
        return f"{text} [{citations[0]}]"
    return f"{text} [{', '.join(map(str, citations))}]"


@dataclass
class AnswerSection:
    title: str
    items: list[Item]


# One numbered source: (number, passage id, reference label). A plain tuple: the answer templates unpack
# it, and an answer lists about thirty of them (a NamedTuple costs ten times as much to make).
SourceLine = tuple[int, str, str]


@dataclass
class Answer:
    """One rendered answer: everything a front end needs, in order."""

    question: str
    assessment: Assessment
    headline: Item | None
    sections: list[AnswerSection]
    citations: list[str]  # passage ids; citation n is citations[n - 1]
    preface: list[str] = field(default_factory=list)
    follow_up: str | None = None
    disclaimer: str = ""
    title: str | None = None
    corpus: Corpus | None = None
    because: str | None = None  # the decision's reason in one sentence (shown or not)
    rec_texts: dict[int, str] = field(default_factory=dict)  # id(recommendation) -> its words
    comparison: Any = None  # render_compare.ShownComparison when the guidelines were compared
    read_as: Any = None  # read_as.ReadAs: what the message was read as (its line opens the answer)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def statement_text(self, rec: Recommendation) -> str:
        """The words of one recommendation, rendered once per answer."""
        key = id(rec)
        if key not in self.rec_texts:
            self.rec_texts[key] = render_statement(rec.statement, rec.params)
        return self.rec_texts[key]

    # -- formats -----------------------------------------------------------------------------
    def _source_lines(self) -> list[SourceLine]:
        lines = self._cache.get("sources")
        if lines is None:
            corpus = self.corpus or default_corpus()
            labels = reference_labels(corpus, self.citations)
            lines = self._cache["sources"] = list(zip(range(1, len(labels) + 1), self.citations, labels, strict=True))
        return lines

    def _context(self, style: str) -> dict[str, Any]:
        return {
            "read_as": None if self.read_as is None
            else (self.read_as.markdown_line() if style == "markdown" else self.read_as.line()),
            "preface": self.preface,
            "title": self.title,
            "headline": self.headline.rendered(style) if self.headline else None,
            # (title, entries) pairs: the templates unpack them, which is cheaper than attribute look-ups.
            "sections": [(s.title, [with_marks(i.text, i.citations) for i in s.items]) for s in self.sections],
            "sources": self._source_lines(),
            "follow_up": self.follow_up,
            "disclaimer": self.disclaimer,
            # Side-by-side comparison of guideline profiles (render_compare.py), when asked for.
            "comparison": None
            if self.comparison is None
            else (self.comparison.markdown() if style == "markdown" else self.comparison.text()),
        }

    def text(self) -> str:
        if "text" not in self._cache:
            self._cache["text"] = prompts().text.render(**self._context("text")).rstrip() + "\n"
        return self._cache["text"]

    def markdown(self) -> str:
        if "markdown" not in self._cache:
            self._cache["markdown"] = prompts().markdown.render(**self._context("markdown")).rstrip() + "\n"
        return self._cache["markdown"]

    def as_dict(self) -> dict[str, Any]:
        a = self.assessment
        corpus = self.corpus or default_corpus()
        cls = a.classification
        all_passages = a.cited_passages() + [
            pid for pid in self.citations if self.comparison is not None and pid not in a.cited_passages()
        ]
        refs: dict[str, None] = {}
        for pid in all_passages:
            refs.setdefault(corpus.passages[pid].ref, None)
        return {
            "schema": SCHEMA,
            "question": self.question,
            "in_scope": a.in_scope,
            "intent": a.intent.value,
            "profile": a.profile,
            "facts": a.facts.contract_dict(),
            "classification": {
                "category": cls.category.value if cls.category else None,
                "lowest_t_score": cls.lowest_t_score,
                "site": cls.site.value if cls.site else None,
                "basis": cls.basis,
            },
            "decision": {
                "pharmacologic_treatment": a.decision.value,
                "because": self.because,
            },
            "very_high_risk": a.very_high_risk,
            "recommendations": [
                {
                    "id": r.id,
                    "section": r.section.value,
                    "text": self.statement_text(r),
                    "citations": list(r.citations),
                    "urgency": r.urgency.value,
                }
                for r in a.recommendations
            ],
            "missing_facts": list(a.missing_facts),
            "references": [
                {
                    "id": rid,
                    "title": corpus.references[rid].title,
                    "source": corpus.references[rid].source,
                    "year": corpus.references[rid].year,
                    "url": corpus.references[rid].url,
                }
                for rid in refs
            ],
            "citations": [
                {"n": number, "passage": pid, "ref": corpus.passages[pid].ref}
                for number, pid, _label in self._source_lines()
            ],
            "preface": self.preface,
            "text": self.text(),
            "disclaimer": self.disclaimer,
            "trace": [t.as_dict() for t in a.trace],
            **({} if self.comparison is None else {"comparison": self.comparison.as_dict()}),
            **({} if self.read_as is None else {"read_as": self.read_as.as_dict()}),
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=False)

    def format(self, fmt: str) -> str:
        if fmt == "markdown":
            return self.markdown()
        if fmt in ("json", "jsonl"):
            return self.json() + "\n"
        return self.text()


_DEFAULT_LABELS: dict[str, str] = {}  # reference labels of the bundled corpus, by passage id


def reference_labels(corpus: Corpus, pids: list[str]) -> list[str]:
    """Each passage's reference label, e.g. 'LeBoff MS et al. The clinician's guide ... Osteoporos Int
    2022;33:2049-2102. Who should be treated.' (those of the bundled corpus are worded once per process)."""
    if corpus is not default_corpus():
        return [_reference_label(corpus, pid) for pid in pids]
    known = _DEFAULT_LABELS
    return [known.get(pid) or known.setdefault(pid, _reference_label(corpus, pid)) for pid in pids]


def _reference_label(corpus: Corpus, pid: str) -> str:
    p = corpus.passages[pid]
    ref = corpus.references[p.ref]
    parts: list[str] = []
    if ref.authors:
        first = ref.authors.split(",")[0].strip().rstrip(".")
        if "(" in first and ")" not in first:
            first = first.split("(")[0].strip()
        parts.append(first if first.endswith("et al") or "," not in ref.authors else f"{first} et al")
    parts.append(ref.title.rstrip("."))
    source = ref.source.rstrip(".")
    if ref.year and str(ref.year) not in source:
        source = f"{source} ({ref.year})"
    parts.append(source)
    parts.append(p.where.rstrip("."))
    return ". ".join(parts) + "."


# -- building ------------------------------------------------------------------------------------
def _shown_sections(intent: Intent) -> list[str] | None:
    wanted = prompts().sections.get(intent.value, "all")
    return None if wanted == "all" else list(wanted)


def _section_named(title: str) -> Section | None:
    try:
        return Section(title)
    except ValueError:
        return None


def clarifications(a: Assessment) -> list[str]:
    """Questions set aside, contradictions and parser notes, worded for the user."""
    p = prompts()
    out: list[str] = []
    for q in a.facts.questions:
        out.append(message("question", field=label("fields", q.field), value=q.value, reason=q.reason))
    for c in a.facts.contradictions:
        out.append(message("contradiction", field=label("fields", c.field), values=c.values))
    for n in a.facts.notes:
        tmpl = p.notes.get(n.kind)
        if tmpl is not None:
            out.append(tmpl.render(field=_field_label(n.field), values=n.values))
    return out


def _field_label(path: str) -> str:
    head, _, tail = path.partition(".")
    if head in ("t_scores", "z_scores") and tail:
        return f"the {label('sites', tail)} {'T' if head == 't_scores' else 'Z'}-score"
    return label("fields", path)


# Read once: an enum member or its .value is a descriptor call on every read.
_CLARIFY = Section.CLARIFY
_BOTTOM_LINE = Section.BOTTOM_LINE
_NO_DECISION = Decision.NA
_SECTION_TITLES: dict[Section, str] = {s: s.value for s in Section}


def build_answer(
    question: str,
    a: Assessment,
    *,
    preface: list[str] | None = None,
    corpus: Corpus | None = None,
    sections: list[str] | None = None,
    comparison: Any = None,
    read_as: Any = None,
) -> Answer:
    """Select the sections the question asks for, word every statement and number the citations.
    `comparison` (engine.compare.Comparison) adds the side-by-side table, numbered after the sections."""
    numbers: dict[str, int] = {}

    def cite(ids: list[str]) -> list[int]:
        """The citation numbers of `ids`, each passage numbered on its first use in the answer."""
        out: list[int] = []
        for pid in ids:
            n = numbers.setdefault(pid, len(numbers) + 1)
            if n not in out:
                out.append(n)
        return out

    rec_texts: dict[int, str] = {}

    def words(rec: Recommendation) -> str:
        rec_texts[id(rec)] = text = render_statement(rec.statement, rec.params)
        return text

    wanted = sections if sections is not None else _shown_sections(a.intent)
    because_text: str | None = None
    headline: Item | None = None
    if a.because is not None and a.decision != _NO_DECISION:
        because_text = render_statement(a.because.statement, a.because.params)
        # A focused follow-up ("what labs?") answers only what it asks: no bottom line unless wanted.
        if wanted is None or _SECTION_TITLES[_BOTTOM_LINE] in wanted:
            headline = Item(because_text, cite(a.because.citations))
    by_section: dict[Section, list[Recommendation]] = {}
    for r in a.recommendations:
        recs = by_section.get(r.section)
        if recs is None:
            by_section[r.section] = [r]
        else:
            recs.append(r)

    out_sections: list[AnswerSection] = []
    # A focused question shows its sections in the order prompts/sections.yaml gives (most relevant first).
    order = SECTION_ORDER if wanted is None else [s for s in map(_section_named, wanted) if s is not None]
    for section in order:
        if section is _CLARIFY:
            notes = clarifications(a)
            if notes:
                out_sections.append(AnswerSection(_SECTION_TITLES[section], [Item(t) for t in notes]))
            continue
        recs = by_section.get(section)
        if recs and section is _BOTTOM_LINE and headline is None and a.because is None:
            first, recs = recs[0], recs[1:]
            headline = Item(words(first), cite(first.citations), first)
        if not recs:
            continue
        items = []
        for r in recs:
            text = rec_texts[id(r)] = render_statement(r.statement, r.params)
            items.append(Item(text, cite(r.citations), r))
        title = "Also" if section is _BOTTOM_LINE else _SECTION_TITLES[section]
        out_sections.append(AnswerSection(title, items))

    follow_up = None
    if a.missing_facts and a.in_scope:
        follow_up = message("follow_up", missing=[label("fields", m) for m in a.missing_facts])

    title = None
    cls = a.classification
    if cls.category is not None and a.in_scope:
        title = message(
            "title",
            category_label=label("categories", cls.category.value),
            lowest=cls.lowest_t_score,
            site=label("sites", cls.site.value) if cls.site else None,
        )

    shown_comparison = None
    if comparison is not None:
        from assistant.render_compare import show_comparison

        shown_comparison = show_comparison(comparison, a.profile, cite)

    return Answer(
        question=question,
        assessment=a,
        headline=headline,
        sections=out_sections,
        citations=list(numbers),
        preface=list(preface or []),
        follow_up=follow_up,
        disclaimer=prompts().disclaimer,
        title=title,
        corpus=corpus,
        because=because_text,
        rec_texts=rec_texts,
        comparison=shown_comparison,
        read_as=read_as,
    )
