"""The facts panel: what the assistant understood, each fact with the words it came from.

The span is highlighted inside the user's own sentence; negated, family, historical and
hypothetical mentions are shown as such; values set aside are shown as questions; facts that are
new or changed since the previous turn are marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.tui.safe_text import clean_input

if TYPE_CHECKING:  # the domain modules load in the background after the first paint
    from assistant.facts import Facts, Mention, Span
    from assistant.read_as import ReadAs

CONTEXT_CHARS = 28  # characters of the sentence shown on each side of a highlighted span

_STATUS_WORD = {  # Status values (assistant.facts.Status)
    "negated": "not (negated)",
    "family": "family member",
    "historical": "in the past",
    "hypothetical": "what-if",
}


@dataclass(frozen=True)
class FactRow:
    path: str
    shown: str
    value: str  # compared between turns to mark "updated"


def fact_rows(f: Facts) -> list[FactRow]:
    """Every fact in display order, with a field path that names its source span."""
    from assistant.conversation_facts import unit
    from assistant.render import label
    from assistant.statements import num

    rows: list[FactRow] = []

    def add(path: str, shown: str, value: object) -> None:
        rows.append(FactRow(path, shown, str(value)))

    if f.age is not None:
        add("age", f"Age {f.age}", f.age)
    if f.sex is not None:
        add("sex", f"Sex {f.sex.value}", f.sex.value)
    if f.menopause is not None:
        add("menopause", f"Menopause: {f.menopause.value}", f.menopause.value)
    for kind, letter in (("t_scores", "T"), ("z_scores", "Z")):
        for site, value in getattr(f, kind).items():
            add(f"{kind}.{site.value}", f"{label('sites', site.value).capitalize()} {letter}-score {num(value)}", value)
    if f.t_score_unsited is not None:
        add("t_score_unsited", f"T-score {num(f.t_score_unsited)} (site not stated)", f.t_score_unsited)
    if f.z_score_unsited is not None:
        add("z_score_unsited", f"Z-score {num(f.z_score_unsited)} (site not stated)", f.z_score_unsited)
    if f.frax is not None:
        if f.frax.major is not None:
            add("frax.major", f"FRAX major {num(f.frax.major)}%", f.frax.major)
        if f.frax.hip is not None:
            add("frax.hip", f"FRAX hip {num(f.frax.hip)}%", f.frax.hip)
    if f.prior_fragility_fracture is not None:
        sites = ", ".join(s.value for s in f.fracture_sites)
        text = "Prior fragility fracture" if f.prior_fragility_fracture else "No prior fragility fracture"
        add("prior_fragility_fracture", text + (f" ({sites})" if sites else ""), (f.prior_fragility_fracture, sites))
    simple = ("glucocorticoids", "glucocorticoid_dose_mg", "glucocorticoid_months", "egfr", "vitamin_d", "calcium",
              "pth", "tsh", "weight_kg", "height_cm")
    for name in simple:
        value = getattr(f, name)
        if value is not None:
            shown = ("yes" if value else "no") if isinstance(value, bool) else num(value) + unit(f, name)
            name_shown = label("fields", name)
            add(name, f"{name_shown[:1].upper()}{name_shown[1:]}: {shown}", value)  # "eGFR" keeps its case
    for med in f.medications:
        years = f" for {num(med.years)} years" if med.years is not None else ""
        status = {"affirmed": "current", "historical": "past", "negated": "not taking"}.get(
            med.status.value, med.status.value
        )
        add(f"medications.{med.name}", f"{med.name} ({status}){years}", (med.status.value, med.years))
    for key, value in sorted(f.conditions.items()):
        add(f"conditions.{key}", f"{label('fields', key).capitalize()}: {'yes' if value else 'no'}", value)
    return rows


def snippet(sentence: str, span: Span) -> Text:
    """The user's sentence around the span, with the span highlighted (no markup involved)."""
    start, end = span.start, span.end
    if not (0 <= start < end <= len(sentence)) or sentence[start:end].casefold() != span.text.casefold():
        found = sentence.casefold().find(span.text.casefold()) if span.text else -1
        if found < 0:
            return Text.assemble(("“", "dim"), (clean_input(span.text), "reverse"), ("”", "dim"))
        start, end = found, found + len(span.text)
    left = sentence[max(0, start - CONTEXT_CHARS) : start]
    right = sentence[end : end + CONTEXT_CHARS]
    return Text.assemble(
        ("“" + ("…" if start > CONTEXT_CHARS else ""), "dim"),
        (clean_input(left), "dim"),
        (clean_input(sentence[start:end]), "bold reverse"),
        (clean_input(right), "dim"),
        (("…" if end + CONTEXT_CHARS < len(sentence) else "") + "”", "dim"),
    )


def facts_text(
    f: Facts, users: list[str], previous: dict[str, str] | None, changes: list[str] | None = None,
    read_as: ReadAs | None = None,
) -> Text:
    """The whole panel as one Text. `users[i]` is the user's message of turn i + 1. `read_as`: what the last
    message was read as (the same line that opens its answer)."""

    out = Text()
    if read_as is not None:
        out.append("Last message\n", "bold underline")
        out.append(clean_input(read_as.line()) + "\n\n")
    rows = fact_rows(f)
    if changes:
        out.append("Updated this turn: ", "bold")
        out.append("; ".join(clean_input(c) for c in changes) + "\n\n")
    if not rows and not f.mentions and not f.questions and not f.contradictions:
        out.append("No patient facts yet.\n", "dim")
        out.append("Give age, sex, T-scores with their sites, FRAX, prior fractures, medicines.", "dim")
        return out
    for row in rows:
        mark = ""
        if previous is not None:
            if row.path not in previous:
                mark = "new"
            elif previous[row.path] != row.value:
                mark = "updated"
        out.append("• ")
        out.append(row.shown, "bold")
        if mark:
            out.append(f"  [{mark}]", "bold italic")
        out.append("\n")
        span = _source(f, row.path)
        if span is not None:
            out.append("   ")
            turn = span.turn
            sentence = users[turn - 1] if turn is not None and 0 < turn <= len(users) else span.text
            out.append_text(snippet(sentence, span))
            if turn is not None:
                out.append(f"  (turn {turn})", "dim")
            out.append("\n")
    shown_mentions = [m for m in f.mentions if m.status.value in _STATUS_WORD]
    if shown_mentions:
        out.append("\nNot affirmed for this patient\n", "bold underline")
        for m in shown_mentions:
            why = set_aside_why(m) if m.why not in (None, "hypothetical", "what-if") else None
            head = "not counted" if why and m.status.value == "hypothetical" else _STATUS_WORD[m.status.value]
            out.append(f"• {head.upper()}: ", "bold")
            out.append(clean_input(m.concept.replace("_", " ")))
            if m.detail and m.detail != m.concept:
                out.append(f" ({clean_input(m.detail.replace('_', ' '))})")
            if why:
                out.append(f": {why}", "italic")
            out.append("\n   ")
            turn = m.span.turn
            sentence = users[turn - 1] if turn is not None and 0 < turn <= len(users) else m.span.text
            out.append_text(snippet(sentence, m.span))
            out.append("\n")
    if f.questions or f.contradictions:
        out.append("\nSet aside (please check)\n", "bold underline")
        for q in f.questions:
            out.append("? ", "bold")
            out.append(f"{field_label(q.field)} = {clean_input(q.value)}: {clean_input(q.reason)}\n")
        for c in f.contradictions:
            out.append("? ", "bold")
            values = ", ".join(clean_input(v) for v in c.values)
            out.append(f"{field_label(c.field)}: conflicting values {values}\n")
    return out


def set_aside_why(m: Mention) -> str:
    """Why a mention was set aside, in the words of the "Read as" line (prompts/read_as.yaml)."""
    from assistant.read_as import why_words

    return why_words(m)


def field_label(path: str) -> str:
    """A field path as words: "t_scores.total_hip" -> "total hip T-score"."""
    from assistant.render import label

    head, _, tail = path.partition(".")
    if head in ("t_scores", "z_scores") and tail:
        return f"{label('sites', tail)} {'T' if head == 't_scores' else 'Z'}-score"
    if head == "conditions" and tail:
        return label("fields", tail)
    return label("fields", path)


def _source(f: Facts, path: str) -> Span | None:
    span = f.sources.get(path)
    if span is None and path.startswith("medications."):
        name = path.split(".", 1)[1]
        for med in f.medications:
            if med.name == name and med.span is not None:
                return med.span
    if span is None and "." in path:
        span = f.sources.get(path.split(".", 1)[0])
    return span


class FactsPanel(VerticalScroll):
    """Scrollable panel showing `facts_text` for the conversation's current facts."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._previous: dict[str, str] | None = None
        self._current: dict[str, str] = {}
        self.text = Text("No patient facts yet.", "dim")
        self.body = Static(self.text, id="facts-body", markup=False)

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.body

    def show(self, f: Facts, users: list[str], changes: list[str] | None = None, reset: bool = False,
             read_as: ReadAs | None = None) -> None:
        if reset:
            self._current = {}
        self._previous = self._current if self._current or users else None
        self._current = {r.path: r.value for r in fact_rows(f)}
        previous = self._previous if users else None
        self.text = facts_text(f, users, previous, changes, read_as)
        self.body.update(self.text)

    def plain(self) -> str:
        return self.text.plain
