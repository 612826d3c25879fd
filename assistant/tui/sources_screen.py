"""Sources: the list of citations of the last answer, and one passage with its reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from assistant.corpus import Corpus
    from assistant.render import Answer


def passage_text(answer: Answer, n: int, corpus: Corpus | None = None) -> Text:
    """Citation n of the answer: its reference, then each passage used (where it is in the source, and
    the passage in our words)."""
    from assistant.corpus import default_corpus
    from assistant.render import dated_source

    corpus = corpus or answer.corpus or default_corpus()
    out = Text()
    if not 1 <= n <= len(answer.citations):
        out.append(f"There is no citation [{n}] in the last answer (it has {len(answer.citations)}).")
        return out
    rid = answer.citations[n - 1]
    ref = corpus.references[rid]
    out.append(f"[{n}] ", "bold")
    if ref.authors:
        out.append(ref.authors.rstrip(".") + ". ")
    out.append(ref.title.rstrip(".") + ". ", "bold")
    out.append(dated_source(ref) + ".\n")
    if ref.doi:
        out.append(f"doi: {ref.doi}\n", "dim")
    if ref.pmid:
        out.append(f"PMID: {ref.pmid}\n", "dim")
    if ref.url:
        out.append(ref.url + "\n", "dim")
    for pid in answer.passages.get(rid, ()):
        passage = corpus.passages[pid]
        out.append("\n" + passage.where + "\n", "italic")
        out.append(passage.text.strip() + "\n")
    out.append("\n(The passages are our own summary of the source; check the source before acting.)", "dim")
    return out


class PassageScreen(ModalScreen[None]):
    """One cited passage. Esc closes; left/right step through the citations."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("left,p", "step(-1)", "Previous"),
        Binding("right,n", "step(1)", "Next"),
    ]

    def __init__(self, answer: Answer, number: int) -> None:
        super().__init__()
        self.answer = answer
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="passage-box", classes="modal-box"):
            yield Static(Text("Source", "bold"), classes="modal-title", markup=False)
            with VerticalScroll():
                yield Static(passage_text(self.answer, self.number), id="passage-body", markup=False)
            yield Static(Text("Esc close   ← → previous / next citation", "dim"), markup=False)

    def action_step(self, step: int) -> None:
        count = len(self.answer.citations)
        if count:
            self.number = (self.number - 1 + step) % count + 1
            self.query_one("#passage-body", Static).update(passage_text(self.answer, self.number))

    async def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)


class SourcesScreen(ModalScreen[int | None]):
    """All citations of the last answer; Enter or a digit opens one."""

    BINDINGS = [Binding("escape,q", "close", "Close")] + [
        Binding(str(d), f"pick({d})", show=False) for d in range(1, 10)
    ]

    def __init__(self, answer: Answer) -> None:
        super().__init__()
        self.answer = answer

    def compose(self) -> ComposeResult:
        from assistant.corpus import default_corpus

        corpus = self.answer.corpus or default_corpus()
        options = []
        for n, rid in enumerate(self.answer.citations, start=1):
            ref = corpus.references[rid]
            wheres = "; ".join(corpus.passages[pid].where for pid in self.answer.passages.get(rid, ()))
            prompt = Text.assemble((f"[{n}] ", "bold"), ref.title, (f" — {wheres}", "dim"))
            options.append(Option(prompt, id=str(n)))
        with Vertical(id="sources-box", classes="modal-box"):
            yield Static(Text("Sources of the last answer (Enter or 1-9 opens)", "bold"), markup=False)
            if options:
                yield OptionList(*options, id="sources-list")
            else:
                yield Static(Text("The last answer cites no passages.", "dim"), markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(int(event.option.id))

    def action_pick(self, n: int) -> None:
        if n <= len(self.answer.citations):
            self.dismiss(n)

    def action_close(self) -> None:
        self.dismiss(None)
