"""Small modal dialogs: help (with the disclaimer), resume the last conversation, choose a file."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "ask the question typed"),
    ("Up / Down", "previous / next question (history)"),
    ("PgUp / PgDn", "scroll the chat (the question box keeps the focus)"),
    ("Home / End", "start / end of the chat (in an empty box; Ctrl+Home / Ctrl+End always)"),
    ("F1", "help, key bindings and disclaimer"),
    ("F2", "show / hide the side panel"),
    ("F3", "side panel: facts"),
    ("F4", "side panel: reasoning (the rules that fired)"),
    ("F6", "side panel: picture (T-scores and FRAX)"),
    ("F5", "sources of the last answer (then 1-9 or Enter)"),
    ("F10", "the full plan: every recommendation, in full"),
    ("Ctrl+N", "new patient (start over)"),
    ("Ctrl+S", "save the conversation as a transcript (YAML)"),
    ("Ctrl+O", "export the conversation (Markdown, JSON and an HTML handout)"),
    ("Ctrl+Y", "copy the last answer to the clipboard"),
    ("Ctrl+T", "light / dark theme"),
    ("F7", "compare guidelines: the profiles side by side"),
    ("F8", "next guideline profile (US, AACE, ACP, Endocrine)"),
    ("F9", "save a screenshot (SVG)"),
    ("Ctrl+P", "command palette (every command by name)"),
    ("Ctrl+Q", "quit"),
)

TYPED = (
    ("why?", "the reasoning behind the last answer"),
    ("show 2", "open citation 2 of the last answer"),
    ("sources", "list the sources of the last answer"),
    ("what do you need?", "the facts that would sharpen the answer"),
    ("full plan", "everything the engine found, in full"),
    ("what if her eGFR were 30?", "a what-if that does not change the patient"),
    ("new patient", "start over"),
)


def help_text() -> Text:
    out = Text()
    out.append("Guideline assistant: bone health (osteopenia, osteoporosis)\n\n", "bold")
    out.append(
        "Type a question the way you would ask a colleague, with the patient's facts (age, sex, "
        "T-scores and their sites, FRAX, fractures, medicines). Each answer cites numbered passages; "
        "click a number or press F5 to read the passage.\n\n"
    )
    out.append("Keys\n", "bold underline")
    for key, what in KEYS:
        out.append(f"  {key:<12}", "bold")
        out.append(what + "\n")
    out.append("\nYou can also type\n", "bold underline")
    for said, what in TYPED:
        out.append(f"  {said:<27}", "bold")
        out.append(what + "\n")
    from assistant.render import prompts

    out.append("\nDisclaimer\n", "bold underline")
    out.append(prompts().disclaimer + "\n")
    out.append("\nEverything stays on this machine; no network is used.", "dim")
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="modal-box"):
            with VerticalScroll():
                yield Static(help_text(), id="help-body", markup=False)
            yield Static(Text("Esc close", "dim"), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class ResumeScreen(ModalScreen[bool]):
    """Offer to resume the last conversation found in the journal."""

    BINDINGS = [Binding("escape,n", "answer(False)", "Start new"), Binding("y,r", "answer(True)", "Resume")]

    def __init__(self, turns: list[str]) -> None:
        super().__init__()
        self.turns = turns

    def compose(self) -> ComposeResult:
        body = Text()
        body.append(f"Resume the last conversation ({len(self.turns)} turn(s))?\n\n", "bold")
        for t in self.turns[-3:]:
            body.append("  › " + (t if len(t) <= 70 else t[:69] + "…") + "\n")
        with Vertical(id="resume-box", classes="modal-box"):
            yield Static(body, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Resume (y)", id="resume-yes", variant="primary")
                yield Button("Start new (n)", id="resume-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PathScreen(ModalScreen[str | None]):
    """Ask for a file path (prefilled); Enter confirms, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: str) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="path-box", classes="modal-box"):
            yield Static(Text(self.title_text, "bold"), markup=False)
            yield Input(value=self.default, id="path-input")
            yield Static(Text("Enter save   Esc cancel", "dim"), markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
