"""Assessment -> Answer: the words, the numbered citations and the three formats (text, Markdown, JSON).

Templates in prompts/ hold the wording; this module holds only the selection and numbering logic.
Citation numbers are given in order of first use in the shown answer, and each number resolves to a
stored passage (and through it to a reference).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from jinja2 import Template

from assistant.brief import compact_lead
from assistant.brief import head as brief_head
from assistant.brief import select as brief_select
from assistant.brief import words as brief_words
from assistant.corpus import Corpus, Reference, default_corpus
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
    passages: list[str] = field(default_factory=list)  # the passage ids cited, when not those of `rec`

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


# One numbered source: (number, reference id, reference label, locators of the passages used). A plain
# tuple: the answer templates unpack it.
SourceLine = tuple[int, str, str, list[str]]


@dataclass
class Answer:
    """One rendered answer: everything a front end needs, in order."""

    question: str
    assessment: Assessment
    headline: Item | None
    sections: list[AnswerSection]
    citations: list[str]  # reference ids; citation n is citations[n - 1] (one number per source document)
    preface: list[str] = field(default_factory=list)
    follow_up: str | None = None
    disclaimer: str = ""
    title: str | None = None
    corpus: Corpus | None = None
    because: str | None = None  # the decision's reason in one sentence (shown or not)
    rec_texts: dict[int, str] = field(default_factory=dict)  # id(recommendation) -> its words
    comparison: Any = None  # render_compare.ShownComparison when the guidelines were compared
    passages: dict[str, list[str]] = field(default_factory=dict)  # reference id -> passage ids used, in order
    direct: Item | None = None  # the direct answer to the question asked (its first sentence)
    read_as: Any = None  # read_as.ReadAs: what the message was read as (its line opens the answer)
    changed: list[str] = field(default_factory=list)  # what this turn changed, in words ("eGFR 28 (new)")
    full: bool = False  # the full plan (every recommendation in its full wording) rather than the short answer
    hidden: int = 0  # recommendations left to the full plan
    left_out: list[str] = field(default_factory=list)  # whole sections a short follow-up left to the full plan
    rebuild: Any = field(default=None, repr=False)  # makes the full plan of the same turn (full_plan())
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def full_plan(self) -> Answer:
        """This answer as the full plan: every recommendation in full (the exports use it)."""
        if self.full or self.rebuild is None:
            return self
        full = self._cache.get("full_plan")
        if full is None:
            full = self._cache["full_plan"] = self.rebuild()
        return full

    @property
    def cited_passages(self) -> list[str]:
        """Every passage the answer cites, grouped by reference in citation order."""
        return [pid for ref in self.citations for pid in self.passages.get(ref, ())]

    def number_of(self, pid: str) -> int | None:
        """The citation number of the reference a passage belongs to (None when not cited)."""
        for n, ref in enumerate(self.citations, start=1):
            if pid in self.passages.get(ref, ()):
                return n
        return None

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
            lines = self._cache["sources"] = [
                (
                    n,
                    ref,
                    reference_label(corpus, ref),
                    [corpus.passages[pid].where.rstrip(".") for pid in self.passages[ref]],
                )
                for n, ref in enumerate(self.citations, start=1)
            ]
        return lines

    def _context(self, style: str) -> dict[str, Any]:
        return {
            "read_as": None if self.read_as is None
            else (self.read_as.markdown_line() if style == "markdown" else self.read_as.line()),
            "direct": with_marks(self.direct.text, self.direct.citations) if self.direct else None,
            "preface": self.preface,
            "title": self.title,
            "headline": self.headline.rendered(style) if self.headline else None,
            # (title, entries) pairs: the templates unpack them, which is cheaper than attribute look-ups.
            "sections": [(s.title, [with_marks(i.text, i.citations) for i in s.items]) for s in self.sections],
            "sources": self._source_lines(),
            "follow_up": self.follow_up,
            "more": None
            if self.full or not self.hidden
            else message("more", hidden=self.hidden, sections=self.left_out),
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
            pid for pid in self.cited_passages if self.comparison is not None and pid not in a.cited_passages()
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
                {"n": number, "passage": pid, "ref": ref, "where": corpus.passages[pid].where}
                for number, ref in enumerate(self.citations, start=1)
                for pid in self.passages[ref]
            ],
            "direct": self.direct.text if self.direct else None,
            "changed": list(self.changed),
            "read_as": None if self.read_as is None else self.read_as.as_dict(),
            "full": self.full,
            "shown": [i.rec.id for sec in self.sections for i in sec.items if i.rec is not None],
            "preface": self.preface,
            "text": self.text(),
            "disclaimer": self.disclaimer,
            "trace": [t.as_dict() for t in a.trace],
            **({} if self.comparison is None else {"comparison": self.comparison.as_dict()}),
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=False)

    def format(self, fmt: str) -> str:
        if fmt == "markdown":
            return self.markdown()
        if fmt in ("json", "jsonl"):
            return self.json() + "\n"
        return self.text()


_DEFAULT_LABELS: dict[str, str] = {}  # reference labels of the bundled corpus, by reference id


def reference_label(corpus: Corpus, rid: str) -> str:
    """A reference as a source line: 'LeBoff MS et al. The clinician's guide ... Osteoporos Int
    2022;33:2049-2102. https://...' (one full stop after the authors; the issuer when there are none)."""
    if corpus is default_corpus():
        known = _DEFAULT_LABELS.get(rid)
        if known is None:
            known = _DEFAULT_LABELS[rid] = _reference_label(corpus, rid)
        return known
    return _reference_label(corpus, rid)


def reference_labels(corpus: Corpus, pids: list[str]) -> list[str]:
    """Each passage's reference with the passage's place in it ('... Osteoporos Int 2022;33:2049-2102.
    Who should be treated.'): for pages that number passages, not references (the HTML handout)."""
    out = []
    for pid in pids:
        p = corpus.passages[pid]
        out.append(f"{_reference_label(corpus, p.ref, with_url=False)} {p.where.rstrip('.')}.")
    return out


def reference_full(corpus: Corpus, rid: str) -> str:
    """A reference with all its recorded authors (the sources view)."""
    return _reference_label(corpus, rid, all_authors=True)


def authors_short(authors: str) -> str:
    """'LeBoff MS, Greenspan SL, ...' -> 'LeBoff MS et al'; 'Camacho PM et al.' -> 'Camacho PM et al'."""
    first = authors.split(",")[0].strip().rstrip(".")
    if "(" in first and ")" not in first:
        first = first.split("(")[0].strip()
    return first if first.endswith("et al") or "," not in authors else f"{first} et al"


def dated_source(ref: Reference) -> str:
    """The reference's source with its year, unless the source or the title already says it
    ("Osteoporos Int 2022;33:..."; "Reclast ... (2011 renal contraindication update)")."""
    source = ref.source.rstrip(".")
    year = str(ref.year) if ref.year else None
    if year is None or year in source or year in ref.title:
        return source
    return f"{source} ({year})"


def _reference_label(corpus: Corpus, rid: str, *, all_authors: bool = False, with_url: bool = True) -> str:
    ref = corpus.references[rid]
    parts: list[str] = []
    source = dated_source(ref)
    if ref.authors:
        parts.append(ref.authors.rstrip(".") if all_authors else authors_short(ref.authors))
        parts.append(ref.title.rstrip("."))
        parts.append(source)
    else:  # no authors recorded: the issuer (the source) comes first
        parts.append(source)
        parts.append(ref.title.rstrip("."))
    text = ". ".join(parts) + "."
    return f"{text} {ref.url}" if ref.url and with_url else text


# -- building ------------------------------------------------------------------------------------
def shown_sections(intent: Intent) -> list[str] | None:
    """The sections a question of this kind shows (prompts/sections.yaml), or None for all."""
    return _shown_sections(intent)


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
    full: bool = False,
    direct: tuple[str, list[str]] | None = None,
    changed: list[str] | None = None,
    read_as: Any = None,
    budget: int | None = None,
    only: set[str] | None = None,
    bottom_line: bool = True,
) -> Answer:
    """Select the sections the question asks for, word every statement and number the citations
    (one number per reference document). The short answer (the default) shows what prompts/brief.yaml
    keeps, in its shorter words; `full` shows every recommendation in full. `direct` is the direct
    answer (text, passage ids), shown first. `comparison` (engine.compare.Comparison) adds the
    side-by-side table, numbered after the sections. `budget`: the most words the answer's body may
    have (a follow-up); sections beyond it are named, not shown. `only`: the ids of the recommendations
    to show (a follow-up shows what changed). `bottom_line` False: the decision's reason is not shown again
    (a follow-up whose direct answer says the decision stands)."""
    corpus = corpus or default_corpus()
    numbers: dict[str, int] = {}
    passages: dict[str, list[str]] = {}
    ref_of = corpus.passages

    def cite(ids: list[str]) -> list[int]:
        """The citation numbers of `ids`: each reference numbered on its first use in the answer."""
        out: list[int] = []
        for pid in ids:
            ref = ref_of[pid].ref
            n = numbers.get(ref)
            if n is None:
                n = numbers[ref] = len(numbers) + 1
                passages[ref] = [pid]
            elif pid not in passages[ref]:
                passages[ref].append(pid)
            if n not in out:
                out.append(n)
        return out

    rec_texts: dict[int, str] = {}

    shown_words: dict[int, str] = {}

    def words(rec: Recommendation) -> str:
        """The recommendation's words as shown (the short wording unless `full`), worded once."""
        key = id(rec)
        shown_text = shown_words.get(key)
        if shown_text is None:
            text = rec_texts[key] = render_statement(rec.statement, rec.params)
            shown_text = shown_words[key] = text if full else brief_words(rec, text)
        return shown_text

    direct_item = Item(direct[0], cite(direct[1]), passages=list(direct[1])) if direct is not None else None
    wanted = sections if sections is not None else _shown_sections(a.intent)
    because_text: str | None = None
    headline: Item | None = None
    if a.because is not None and a.decision != _NO_DECISION:
        because_text = render_statement(a.because.statement, a.because.params)
        # A focused follow-up ("what labs?") answers only what it asks: no bottom line unless wanted.
        if (
            bottom_line
            and (wanted is None or _SECTION_TITLES[_BOTTOM_LINE] in wanted)
            and (direct_item is None or because_text not in direct_item.text)
        ):
            headline = Item(because_text, cite(a.because.citations), passages=list(a.because.citations))
    recs = a.recommendations
    if only is not None:
        recs = [r for r in recs if r.id in only]
    if not full:
        bottom_line = a.because.statement if because_text is not None and a.because is not None else None
        recs = brief_select(recs, a.facts, question, whole=wanted is None, bottom_line=bottom_line)
    by_section: dict[Section, list[Recommendation]] = {}
    for r in recs:
        group = by_section.get(r.section)
        if group is None:
            by_section[r.section] = [r]
        else:
            group.append(r)

    out_sections: list[AnswerSection] = []
    # A focused question shows its sections in the order prompts/sections.yaml gives (most relevant first).
    order = SECTION_ORDER if wanted is None else [s for s in map(_section_named, wanted) if s is not None]
    follow_up = None
    if a.missing_facts and a.in_scope:
        missing = [label("fields", m) for m in a.missing_facts]
        if not full and len(missing) > _FOLLOW_UP_SHOWN + 1:
            missing = [*missing[:_FOLLOW_UP_SHOWN], message("and_more", n=len(missing) - _FOLLOW_UP_SHOWN)]
        follow_up = message("follow_up", missing=missing)

    shown = 0
    used = 0
    if budget is not None:  # what the answer shows besides its sections, and a line naming what is left out
        used += sum(len(p.split()) for p in preface or ()) + len((follow_up or "").split()) + _LEFT_OUT_WORDS
        used += len(direct[0].split()) if direct is not None else 0
        used += len(headline.text.split()) if headline is not None else 0
    left_out: list[str] = []
    for section in order:
        if section is _CLARIFY:
            notes = clarifications(a)
            if notes:
                out_sections.append(AnswerSection(_SECTION_TITLES[section], [Item(t) for t in notes]))
                used += sum(len(t.split()) for t in notes) if budget is not None else 0
            continue
        group = by_section.get(section)
        if group and section is _BOTTOM_LINE and headline is None and a.because is None:
            first, group = group[0], group[1:]
            headline = Item(words(first), cite(first.citations), first)
            used += len(headline.text.split()) if budget is not None else 0
            shown += 1
        if not group:
            continue
        title = "Also" if section is _BOTTOM_LINE and headline is not None else _SECTION_TITLES[section]
        texts = [words(r) for r in group]
        if direct is not None:  # say each thing once: an item the direct answer quotes is not repeated
            # (quoted after a colon, it starts in lower case: "Kidneys (eGFR 30): do not start ...")
            kept = [(t, r) for t, r in zip(texts, group, strict=True) if not _quoted(t, direct[0])]
            if not kept:
                continue
            texts, group = [t for t, _ in kept], [r for _, r in kept]
        if budget is not None:
            size = sum(len(t.split()) for t in texts) + len(title.split()) + 1  # and its underline
            if used + size > budget and (out_sections or used):
                left_out.append(message("left_out_also") if section is _BOTTOM_LINE else title)
                continue
            used += size
        items = [Item(t, cite(r.citations), r) for t, r in zip(texts, group, strict=True)]
        shown += len(items)
        lead = None if full else compact_lead(title)
        if lead is not None:
            items = _compacted(lead, items)
        out_sections.append(AnswerSection(title, items))

    title = None
    cls = a.classification
    if cls.category is not None and a.in_scope and (full or direct_item is None):
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

    total = len(a.recommendations)
    out_preface = list(preface or [])
    return Answer(
        question=question,
        assessment=a,
        headline=headline,
        sections=out_sections,
        citations=list(numbers),
        preface=out_preface,
        follow_up=follow_up,
        disclaimer=prompts().disclaimer,
        title=title,
        corpus=corpus,
        because=because_text,
        rec_texts=rec_texts,
        comparison=shown_comparison,
        passages=passages,
        direct=direct_item,
        read_as=read_as,
        changed=list(changed or []),
        full=full,
        hidden=0 if full else max(0, total - shown),
        # ("other points" says nothing the count does not)
        left_out=[t[0].lower() + t[1:] for t in left_out if t != message("left_out_also")],
        rebuild=None
        if full
        else partial(
            build_answer,
            question,
            a,
            preface=preface,
            corpus=corpus,
            comparison=comparison,
            full=True,
            direct=direct,
            changed=changed,
            read_as=read_as,
        ),
    )


def _quoted(text: str, direct: str) -> bool:
    """Whether the direct answer already says `text` (in full, its first letter in either case)."""
    return text in direct or (text[:1].lower() + text[1:]) in direct


_LEFT_OUT_WORDS = 35  # room kept for the lines naming what a follow-up leaves to the full plan
_FOLLOW_UP_SHOWN = 4  # missing facts named in the short answer's "Next" line ("what do you need?" lists all)


def _compacted(lead: str, items: list[Item]) -> list[Item]:
    """Items with a head ("Complete blood count: ...") listed by their heads on one line under `lead`;
    the others keep their own line, after it."""
    heads: list[str] = []
    cited: list[int] = []
    rest: list[Item] = []
    for item in items:
        h = brief_head(item.text)
        if h is None:
            rest.append(item)
            continue
        heads.append(h[0].lower() + h[1:] if h[:1].isupper() and not h[1:2].isupper() else h)
        cited.extend(n for n in item.citations if n not in cited)
    if len(heads) < 2:
        return items
    return [Item(f"{lead}: {'; '.join(heads)}.", cited), *rest]
