"""Checks every reply must pass, whatever the input: shared by the catalogue and the property tests.

"Number" (for the grounding check) means a decimal numeral standing on its own in the answer body:
an optional sign, digits, an optional decimal part, with thousands separators allowed ("1,200"),
and not glued to a letter ("L1", "T2D", "25OHD" are names, not quantities). Numbers are compared by
absolute value ("-2.5" in an answer is grounded by "-2.5" or "2.5 below" in a passage). The answer
body is the rendered plain text minus three fixed parts that carry no clinical claim: the citation
markers "[1, 2]", the numbered Sources list (bibliographic: years, volumes, pages) and the
disclaimer (fixed text). The allowed numbers are those in the facts (values, questions set aside,
contradictions, notes and the words they came from), in the cited passages (text and locator), the
year and id of a cited passage's reference (a guideline named "BHOF 2022" in the text), and the
fixed vocabulary of prompts/labels.yaml (names such as "33% radius"), and the few values a cited
rule computes from the facts (a FRAX value adjusted by a cited factor, a gap between two T-scores).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import yaml

from assistant.conversation import Reply
from assistant.corpus import Corpus, default_corpus
from assistant.facts import Facts
from assistant.render import Answer
from assistant.statements import PROMPTS_DIR

ANSWER_KINDS = ("answer", "out_of_scope")
# C0 controls except newline, DEL, C1 controls, and bidi overrides/isolates (terminal and display injection).
UNSAFE_CHARS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NUMBER = re.compile(r"(?<![A-Za-z0-9_.,])[-+\u2212\u2013]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![A-Za-z0-9_]|\.\d)")
CITATION_MARK = re.compile(r"\[\d+(?:, \d+)*\]")


class Violation(AssertionError):
    pass


def _strict_json(text: str) -> Any:
    def bad_constant(name: str) -> Any:
        raise Violation(f"JSON output contains {name}, which is not valid JSON")

    return json.loads(text, parse_constant=bad_constant)


def fact_value(facts: dict[str, Any], path: str) -> Any:
    """Look up a dotted path ("t_scores.femoral_neck") in the contract's facts dict."""
    node: Any = facts
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 0.051
    return a == b


def numbers_in(text: str) -> set[Decimal]:
    out: set[Decimal] = set()
    for m in NUMBER.finditer(text):
        try:
            out.add(abs(Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))).normalize())
        except InvalidOperation:
            continue
    return out


def _numbers_in_value(value: Any) -> set[Decimal]:
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return set()
        return {abs(Decimal(str(value))).normalize()} | numbers_in(f"{value}")
    if isinstance(value, str):
        return numbers_in(value)
    if isinstance(value, dict):
        return set().union(*(_numbers_in_value(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(_numbers_in_value(v) for v in value)) if value else set()
    return set()


@lru_cache(maxsize=1)
def vocabulary_numbers() -> frozenset[Decimal]:
    labels = yaml.safe_load((PROMPTS_DIR / "labels.yaml").read_text(encoding="utf-8"))
    units = yaml.safe_load((PROMPTS_DIR / "conversation.yaml").read_text(encoding="utf-8"))["units"]
    return frozenset(_numbers_in_value(labels) | _numbers_in_value(units))  # "mL/min/1.73 m2" is a unit


def fact_numbers(facts: Facts) -> set[Decimal]:
    out = _numbers_in_value(facts.model_dump(mode="json", exclude={"mentions"}))
    for m in facts.mentions:
        out |= numbers_in(m.span.text)
        if m.detail:
            out |= numbers_in(m.detail)
    return out


# FRAX adjustments the engine may apply (each shown beside the passage it cites): one tenth per
# rounded T-score unit of spine-hip offset (Leslie 2011), glucocorticoid dose factors (Kanis 2011).
# Both can apply to one value (a glucocorticoid dose and a spine-hip offset): their products count too.
_SPINE_FACTORS = tuple(1 + k / 10 for k in range(-10, 11))
_GC_FACTORS = (1.15, 1.2, 0.8, 0.65)
FRAX_FACTORS = _SPINE_FACTORS + _GC_FACTORS + tuple(round(g * s, 6) for g in _GC_FACTORS for s in _SPINE_FACTORS)


def derived_numbers(facts: Facts) -> set[Decimal]:
    """Numbers a cited rule computes from the facts: adjusted FRAX values, T-score gaps in whole units."""
    out: set[Decimal] = set()
    if facts.frax is not None:
        for x in (facts.frax.major, facts.frax.hip):
            if x is None or not math.isfinite(x):
                continue
            for factor in FRAX_FACTORS:
                exact = Decimal(str(x)) * Decimal(str(factor))
                for places in (Decimal(1), Decimal("0.1"), Decimal("0.01")):  # however it was rounded
                    for how in (ROUND_FLOOR, ROUND_CEILING):
                        out.add(abs(exact.quantize(places, rounding=how)).normalize())
    scores = [v for v in facts.t_scores.values() if math.isfinite(v)]
    for a in scores:
        for b in scores:
            out.add(Decimal(abs(round(a) - round(b))))
            out.add(abs(Decimal(str(round(a - b, 1)))).normalize())
    return out


def answer_body(answer: Answer) -> str:
    """The rendered plain text without citation markers, the Sources list and the disclaimer."""
    text = answer.text()
    if "\nSources\n" in text:  # the numbered references and the locators of their passages
        head, _, tail = text.partition("\nSources\n")
        text = head + "\n" + tail[tail.find("\nDisclaimer:") :] if "\nDisclaimer:" in tail else head
    if answer.disclaimer:
        text = text.replace(answer.disclaimer, "")
    # Counts of what the short answer leaves to the full plan ("9 more points", "and 10 more") are not clinical.
    text = re.sub(r"\b\d+ more point", " more point", text)
    text = re.sub(r"\b\d+ more \(", " more (", text)
    return CITATION_MARK.sub("", text)


def ungrounded_numbers(answer: Answer, corpus: Corpus | None = None, earlier: Iterable[Facts] = ()) -> set[Decimal]:
    """Numbers in the answer body that no fact (of this or an earlier turn) or cited passage gives."""
    corpus = corpus or answer.corpus or default_corpus()
    facts = answer.assessment.facts
    allowed = fact_numbers(facts) | derived_numbers(facts) | set(vocabulary_numbers())
    for before in earlier:  # "Updated: age 58 (was 67)" names the earlier value
        allowed |= fact_numbers(before)
    for pid in answer.cited_passages:
        p = corpus.passages[pid]
        ref = corpus.references[p.ref]
        allowed |= numbers_in(p.text) | numbers_in(p.where)
        # A cited guideline named by its year ("BHOF 2022") is bibliographic, not a clinical number.
        allowed |= numbers_in(f"{ref.id} {ref.year or ''}")
    return numbers_in(answer_body(answer)) - allowed


def check_answer(answer: Answer, corpus: Corpus | None = None, earlier: Iterable[Facts] = ()) -> None:
    """Disclaimer, resolving citations, cited recommendations, strict JSON, grounded numbers."""
    check_cited(answer, corpus)
    check_grounded(answer, corpus, earlier)


def check_grounded(answer: Answer, corpus: Corpus | None = None, earlier: Iterable[Facts] = ()) -> None:
    loose = ungrounded_numbers(answer, corpus, earlier)
    if loose:
        raise Violation(f"numbers in the answer that no fact or cited passage gives: {sorted(str(n) for n in loose)}")


def check_cited(answer: Answer, corpus: Corpus | None = None) -> None:
    """Disclaimer, citations that resolve, a citation on every recommendation, strict JSON."""
    corpus = corpus or answer.corpus or default_corpus()
    text = answer.text()
    if not answer.disclaimer or answer.disclaimer not in text:
        raise Violation("the answer has no disclaimer")
    if answer.disclaimer not in answer.markdown():
        raise Violation("the Markdown answer has no disclaimer")
    for rid in answer.citations:  # one number per reference, its passages listed under it
        if rid not in corpus.references:
            raise Violation(f"citation {rid!r} does not resolve to a reference")
        for pid in answer.passages.get(rid, ()):
            if pid not in corpus.passages or corpus.passages[pid].ref != rid:
                raise Violation(f"citation {rid!r} lists {pid!r}, not one of its passages")
    for rec in answer.assessment.recommendations:
        if not rec.citations:
            raise Violation(f"recommendation {rec.id!r} has no citation")
        for pid in rec.citations:
            if pid not in corpus.passages:
                raise Violation(f"recommendation {rec.id!r} cites unknown passage {pid!r}")
    data = _strict_json(answer.json())
    if data.get("schema") != "assistant.answer/1" or not data.get("disclaimer"):
        raise Violation("JSON answer lacks its schema or disclaimer")
    for ref in data.get("references", []):
        if ref["id"] not in corpus.references:
            raise Violation(f"JSON reference {ref['id']!r} does not resolve")
    for rec in data.get("recommendations", []):
        if not rec.get("citations"):
            raise Violation(f"JSON recommendation {rec.get('id')!r} has no citation")


def check_facts_sane(facts: Facts) -> None:
    """No value that should have been questioned is used; nothing non-finite or absurd is kept."""
    d = facts.contract_dict()
    for q in facts.questions:
        used = fact_value(d, q.field)
        try:
            asked = float(q.value.replace("%", "").replace("\u2212", "-").strip())
        except ValueError:
            continue
        if isinstance(used, int | float) and not isinstance(used, bool) and same_value(used, asked):
            raise Violation(f"{q.field} = {q.value} was questioned but is used")
    ranges = {"age": (1, 125), "egfr": (0, 250), "vitamin_d": (0, 400)}
    for name, (lo, hi) in ranges.items():
        v = d.get(name)
        if v is not None and not (math.isfinite(v) and lo <= v <= hi):
            raise Violation(f"{name} = {v} is used although implausible")
    for kind in ("t_scores", "z_scores"):
        for site, v in d[kind].items():
            if not (math.isfinite(v) and -10 <= v <= 10):
                raise Violation(f"{kind}.{site} = {v} is used although implausible")
    for kind in ("t_score_unsited", "z_score_unsited"):
        v = d.get(kind)
        if v is not None and not (math.isfinite(v) and -10 <= v <= 10):
            raise Violation(f"{kind} = {v} is used although implausible")
    if d["frax"]:
        for part, v in d["frax"].items():
            if v is not None and not (math.isfinite(v) and 0 <= v <= 100):
                raise Violation(f"FRAX {part} = {v} is used although implausible")


def check_reply(reply: Reply, corpus: Corpus | None = None, earlier: Iterable[Facts] = ()) -> None:
    """Everything a reply must satisfy whatever the input (earlier: the facts of earlier turns)."""
    error = getattr(reply, "error", None)
    if error:
        raise Violation(f"internal error behind a 'sorry' reply:\n{error[-1500:]}")
    if "Traceback (most recent call last)" in reply.text:
        raise Violation("a traceback in the reply text")
    if not isinstance(reply.text, str) or not reply.text.strip():
        raise Violation(f"empty reply text (kind {reply.kind})")
    for fmt in ("text", "markdown", "json"):
        out = reply.format(fmt)
        try:
            out.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise Violation(f"{fmt} output is not encodable as UTF-8: {exc}") from None
        if fmt != "json":
            bad = UNSAFE_CHARS.search(out)
            if bad:
                raise Violation(f"{fmt} output contains control character {bad.group()!r}")
        else:
            _strict_json(out)
    if reply.answer is not None:
        check_facts_sane(reply.answer.assessment.facts)
        if reply.kind in ANSWER_KINDS:
            check_answer(reply.answer, corpus, earlier)
