"""The terminal app: a thin shell around the chat screen (bindings, palette, themes, exit code)."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from assistant.tui.chat_screen import ChatScreen
from assistant.tui.compare_screen import PROFILE_TITLES


class AssistantApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Guideline assistant: bone health"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self, profile: str = "us", transcript: str | None = None, offer_resume: bool = True, notice: str | None = None
    ) -> None:
        super().__init__()
        self.notice = notice  # a problem with the config file, shown when the app starts
        self.profile = profile
        self.transcript = transcript
        self.offer_resume = offer_resume
        self.theme = "textual-dark"

        self.chat = ChatScreen(profile, transcript, offer_resume)

    def get_default_screen(self) -> Screen:
        return self.chat

    def on_mount(self) -> None:
        if self.notice:
            self.notify(self.notice, title="Configuration", severity="warning", timeout=15, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        chat = self.chat
        yield SystemCommand("New patient", "Start over; nothing from this conversation is used",
                            chat.action_new_patient)
        yield SystemCommand("Save transcript", "Save the conversation as a replayable YAML transcript",
                            chat.action_save_transcript)
        yield SystemCommand("Export conversation", "Write the conversation as Markdown, JSON and an HTML handout",
                            chat.action_export)
        yield SystemCommand("Copy last answer", "Copy the last answer to the clipboard", chat.action_copy_answer)
        yield SystemCommand("Sources", "The passages cited by the last answer", chat.action_sources)
        yield SystemCommand("Toggle side panel", "Show or hide facts / reasoning / picture", chat.action_toggle_panel)
        yield SystemCommand("Show facts", "Facts panel", lambda: chat.action_panel("facts"))
        yield SystemCommand("Show reasoning", "The rules that fired for the last answer",
                            lambda: chat.action_panel("reasoning"))
        yield SystemCommand("Show picture", "T-scores and FRAX against the thresholds",
                            lambda: chat.action_panel("picture"))
        yield SystemCommand("Toggle light / dark theme", "Switch between light and dark", chat.action_toggle_theme)
        yield SystemCommand("Help and disclaimer", "Key bindings, what to type, the disclaimer", chat.action_help)
        yield SystemCommand("Compare guidelines", "The profiles side by side for these facts (F7)", chat.action_compare)
        for pid, title in PROFILE_TITLES.items():  # guideline profiles (compare_screen.py)
            yield SystemCommand(f"Profile: {title}", "Answer under this guideline profile (F8 cycles)",
                                lambda pid=pid: chat.action_use_profile(pid))
        yield SystemCommand("Save screenshot (SVG)", "Save an SVG screenshot in the current folder",
                            chat.action_screenshot)
        yield SystemCommand("Quit", "Leave the app (the conversation is journaled)", self.action_quit)
        for command in super().get_system_commands(screen):  # Textual's own: themes, keys, maximize...
            if command.title not in ("Quit", "Screenshot"):
                yield command

    def action_quit(self) -> None:  # type: ignore[override]
        self.exit(0)


def run_app(profile: str = "us", transcript: str | None = None, notice: str | None = None) -> int:
    """Run the app; save the transcript on exit when asked. Returns the exit status (non-zero on a crash).
    `notice`: a problem with the config file, shown in the app."""
    app = AssistantApp(profile=profile, transcript=transcript, notice=notice)
    app.run()
    code = app.return_code if app.return_code is not None else 1
    if transcript and app.chat.conv.replies:
        try:
            from assistant.replay import save_transcript

            save_transcript(app.chat.conv, transcript)
        except Exception as exc:
            print(f"assistant chat: transcript not saved: {exc}", file=sys.stderr)
            code = code or 1
    return int(code)
