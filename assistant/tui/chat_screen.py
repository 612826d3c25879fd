"""The main screen: chat on the left, facts / reasoning / picture on the right, the question box below.

All patient logic lives in `Conversation`; this screen only shows what it returns, journals every
turn as it happens and writes files atomically.
"""

from __future__ import annotations

import re
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane

from assistant.tui.chat import AnswerMessage, ChatLog, PlainMessage, UserMessage
from assistant.tui.dialogs import HelpScreen, PathScreen, ResumeScreen
from assistant.tui.facts_panel import FactsPanel
from assistant.tui.picture import Picture
from assistant.tui.prompt_input import PromptInput
from assistant.tui.reasoning_panel import ReasoningPanel
from assistant.tui.safe_text import clean_input
from assistant.tui.sources_screen import PassageScreen, SourcesScreen
from assistant.tui.storage import Journal, export_conversation, last_resumable

if TYPE_CHECKING:
    from assistant.conversation import Conversation, Reply
    from assistant.render import Answer

NARROW_BELOW = 100  # columns: below this the side panel replaces the chat instead of sharing the row
_SHOW = re.compile(r"^\s*(?:show|source|cite|citation)\s*\[?(\d{1,3})\]?\s*[.!?]?\s*$", re.IGNORECASE)
WELCOME = (
    "Ask about osteopenia or osteoporosis the way you would ask a colleague, with the patient's facts. "
    "Example: What is the appropriate management for a patient with osteopenia (T-score -1.1 at total "
    "left hip and -1.7 at left femoral neck)?\n"
    "F1 help and disclaimer · F5 sources · Ctrl+P all commands · Ctrl+Q quit"
)
# Asked once in the background at start so the parser's lexicon, the corpus and the templates are
# loaded before the user's first Enter. Its answer is thrown away.
WARM_UP = "67-year-old woman, femoral neck T-score -1.7, FRAX 11% major and 1.4% hip: treat?"
FULL_PLAN_PHRASE = "full plan"  # what F10 types
IDLE_HINT = "F1 help · F2 panels · F5 sources · Ctrl+N new patient · Ctrl+P commands"


class ChatScreen(Screen[None]):
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "toggle_panel", "Panel"),
        Binding("f3", "panel('facts')", "Facts", show=False),
        Binding("f4", "panel('reasoning')", "Reasoning", show=False),
        Binding("f6", "panel('picture')", "Picture", show=False),
        Binding("f5", "sources", "Sources"),
        Binding("ctrl+n", "new_patient", "New patient"),
        Binding("ctrl+s", "save_transcript", "Save"),
        Binding("ctrl+o", "export", "Export"),
        Binding("ctrl+y", "copy_answer", "Copy", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("f9", "screenshot", "Screenshot", show=False),
        Binding("f7", "compare", "Compare", show=False),  # guideline profiles side by side (compare_screen.py)
        Binding("f8", "next_profile", "Profile", show=False),
        Binding("f10", "full_plan", "Full plan", show=False),
    ]

    def __init__(self, profile: str = "us", transcript: str | None = None, offer_resume: bool = True) -> None:
        super().__init__()
        self.profile = profile
        self.transcript = transcript
        self.offer_resume = offer_resume
        self._conv: Conversation | None = None
        self._ready = threading.Event()
        self._load_error: BaseException | None = None
        self.journal = Journal(profile)
        self.side_open = True
        self.last_copied: str | None = None
        self.last_saved: list[Path] = []
        self.errors: list[str] = []

    # -- the conversation, loaded in the background ---------------------------------------------
    def _load(self) -> None:
        """Import the domain (parser, engine, corpus, templates) and warm every cache, off the UI thread."""
        try:
            from assistant.conversation import Conversation

            conv = Conversation(profile=self.profile)
            try:
                Conversation(profile=self.profile).ask(WARM_UP)
            except Exception:
                pass  # a fault here shows up, with its message, on the user's first question
            self._conv = conv
        except BaseException as exc:  # e.g. a broken corpus: reported in the chat, the app stays up
            self._load_error = exc
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def conv(self) -> Conversation:
        """The conversation; waits for the background load the first time (well under a second)."""
        self._ready.wait()
        if self._conv is None:
            raise RuntimeError(f"the assistant could not start: {self._load_error}")
        return self._conv

    @conv.setter
    def conv(self, value: Conversation) -> None:
        self._conv = value

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="✚")
        with Horizontal(id="main"):
            yield ChatLog(id="chat")
            with TabbedContent(id="side", initial="facts"):
                with TabPane("Facts", id="facts"):
                    yield FactsPanel(id="facts-panel")
                with TabPane("Reasoning", id="reasoning"):
                    yield ReasoningPanel(id="reasoning-panel")
                with TabPane("Picture", id="picture"):
                    with VerticalScroll(id="picture-scroll"):
                        yield Picture(id="picture-panel")
        yield Static(Text(IDLE_HINT, "dim"), id="hint", markup=False)
        yield PromptInput(placeholder="Type a question or patient facts, then Enter", id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Guideline assistant: bone health"
        self.sub_title = f"profile {self.profile}"
        self.query_one(ChatLog).add(PlainMessage(WELCOME, classes="welcome"))
        self.query_one(PromptInput).focus()
        self._apply_layout(self.app.size.width)
        self.call_after_refresh(self._start_loading)
        if self.offer_resume:
            entry = last_resumable()
            if entry is not None:
                self.app.push_screen(ResumeScreen(entry.turns), lambda ok: self._resume(entry, bool(ok)))

    def _start_loading(self) -> None:
        if self._conv is None and not self._ready.is_set() and not getattr(self, "_loading", False):
            self._loading = True
            threading.Thread(target=self._load, name="assistant-load", daemon=True).start()

    def on_resize(self, event: Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        narrow = width < NARROW_BELOW
        if narrow and not self.has_class("narrow"):
            self.side_open = False  # at 80 columns the chat gets the whole row until a panel is asked for
        self.set_class(narrow, "narrow")
        self.set_class(self.side_open, "side-open")

    # -- asking ----------------------------------------------------------------------------------
    @on(Input.Submitted, "#prompt")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one(PromptInput)
        text = clean_input(event.value)
        box.value = ""
        if not text.strip():
            return
        box.remember(text)
        self.ask(text)

    def ask(self, text: str) -> Reply | None:
        """One turn: journal it first (a crash loses nothing), ask, show."""
        text = clean_input(text)
        self._start_loading()
        try:
            conv = self.conv
        except RuntimeError as exc:
            self._internal_error(text, exc)
            return None
        try:
            self.journal.record_turn(conv.turn + 1, text)
        except OSError as exc:
            self.notify(f"Could not journal this turn: {exc}", severity="warning", markup=False)
        try:
            reply = conv.ask(text)
        except Exception as exc:  # the engine is ours, but the screen must survive any fault
            self._internal_error(text, exc)
            return None
        self.show_reply(reply)
        match = _SHOW.match(text)
        if match and reply.answer is not None and reply.kind == "sources":
            self.open_citation(reply.answer, int(match.group(1)))
        return reply

    def show_reply(self, reply: Reply) -> None:
        log = self.query_one(ChatLog)
        widgets: list[Widget] = [UserMessage(reply.user, reply.turn)]
        if reply.answer is not None and reply.kind in ("answer", "out_of_scope"):
            msg = AnswerMessage(reply.format("markdown"), reply.turn)
            msg.reply = reply
            widgets.append(msg)
        else:
            widgets.append(PlainMessage(reply.text, classes=f"plain-message kind-{reply.kind}"))
        log.add(*widgets)
        self.sub_title = f"profile {self.conv.profile}"  # "use the AACE profile" switches it
        self.refresh_panels(reply)

    def refresh_panels(self, reply: Reply | None) -> None:
        try:
            users = [r.user for r in self.conv.replies]
            answer = self._last_answer()
            shown = answer.assessment if answer is not None else self.conv.last_assessment
            changes = list(reply.changes) if reply is not None else []
            self.query_one(FactsPanel).show(
                self.conv.facts, users, changes, reset=reply is not None and reply.kind == "reset",
                read_as=reply.read_as if reply is not None else None,
            )
            self.query_one(ReasoningPanel).show(shown, answer)
            hypothetical = reply is not None and reply.hypothetical and answer is not None
            facts = answer.assessment.facts if hypothetical and answer is not None else self.conv.facts
            self.query_one(Picture).show(facts, "What-if values (not the recorded patient)" if hypothetical else "")
            hint = Text(IDLE_HINT, "dim")
            if answer is not None and answer.follow_up and reply is not None and reply.kind == "answer":
                hint = Text.assemble(("Next: ", "bold"), answer.follow_up)
            self.query_one("#hint", Static).update(hint)
        except Exception as exc:
            self._internal_error("(updating the panels)", exc)

    def _last_answer(self) -> Answer | None:
        for r in reversed(self.conv.replies):
            if r.kind == "reset":
                return None
            if r.answer is not None:
                return r.answer
        return None

    def _internal_error(self, text: str, exc: BaseException) -> None:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        self.errors.append(detail)
        turn = self._conv.turn + 1 if self._conv is not None else 1
        self.query_one(ChatLog).add(
            UserMessage(text, turn),
            PlainMessage(
                f"Sorry, something went wrong inside the assistant ({detail}). Nothing you typed is lost; "
                "please rephrase or report this.",
                classes="plain-message kind-error",
            ),
        )

    # -- resuming --------------------------------------------------------------------------------
    def _resume(self, entry, ok: bool) -> None:  # type: ignore[no-untyped-def]
        if not ok:
            Journal(entry.profile, entry.path).close("declined")
            return
        from assistant.conversation import Conversation

        self._start_loading()
        self._ready.wait()
        self.conv = Conversation(profile=entry.profile)
        self.journal = Journal(entry.profile, entry.path)
        box = self.query_one(PromptInput)
        last: Reply | None = None
        for text in entry.turns:
            try:
                last = self.conv.ask(text)
            except Exception as exc:
                self._internal_error(text, exc)
                continue
            box.remember(text)
            self.show_reply(last)
        self.sub_title = f"profile {self.conv.profile}"
        self.notify(f"Resumed {len(entry.turns)} turn(s).", markup=False)

    # -- citations ---------------------------------------------------------------------------------
    @on(AnswerMessage.CitationClicked)
    def _cite_clicked(self, event: AnswerMessage.CitationClicked) -> None:
        event.stop()
        reply = getattr(event.view, "reply", None)
        if reply is not None and reply.answer is not None:
            self.open_citation(reply.answer, event.number)

    def open_citation(self, answer: Answer, n: int) -> None:
        self.app.push_screen(PassageScreen(answer, n))

    def action_sources(self) -> None:
        answer = self._last_answer()
        if answer is None:
            self.notify("No answer yet: ask a question first.", markup=False)
            return

        def opened(n: int | None) -> None:
            if n is not None:
                self.open_citation(answer, n)

        self.app.push_screen(SourcesScreen(answer), opened)

    # -- commands --------------------------------------------------------------------------------
    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    # Guideline profiles (compare_screen.py): both are ordinary turns, so transcripts record them.
    def action_use_profile(self, profile: str) -> None:
        from assistant.tui.compare_screen import SWITCH_PHRASES

        if profile != self.conv.profile and profile in SWITCH_PHRASES:
            self.ask(SWITCH_PHRASES[profile])

    def action_next_profile(self) -> None:
        from assistant.tui.compare_screen import next_profile

        self.action_use_profile(next_profile(self.conv.profile))

    def action_compare(self) -> None:
        from assistant.tui.compare_screen import COMPARE_PHRASE, CompareScreen

        reply = self.ask(COMPARE_PHRASE)
        shown = getattr(reply.answer, "comparison", None) if reply is not None else None
        if shown is not None:
            self.app.push_screen(CompareScreen(shown))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.query_one(ReasoningPanel).flush_if_visible()

    def action_toggle_panel(self) -> None:
        self.side_open = not self.side_open
        self.set_class(self.side_open, "side-open")
        self.call_after_refresh(self.query_one(ReasoningPanel).flush_if_visible)

    def action_panel(self, name: str) -> None:
        side = self.query_one(TabbedContent)
        if self.side_open and side.active == name and self.has_class("narrow"):
            self.side_open = False
        else:
            self.side_open = True
            side.active = name
        self.set_class(self.side_open, "side-open")
        self.call_after_refresh(self.query_one(ReasoningPanel).flush_if_visible)

    def action_new_patient(self) -> None:
        from assistant.conversation import Conversation

        self.journal.close("new_patient")
        self.conv = Conversation(profile=self.conv.profile)
        self.journal = Journal(self.conv.profile)
        log = self.query_one(ChatLog)
        log.clear_log()
        log.add(PlainMessage("New patient: nothing from the previous conversation is used.", classes="welcome"))
        self.refresh_panels(None)
        self.query_one(FactsPanel).show(self.conv.facts, [], [], reset=True)
        self.query_one(PromptInput).focus()

    def action_copy_answer(self) -> None:
        for r in reversed(self.conv.replies):
            self.last_copied = r.text
            self.app.copy_to_clipboard(r.text)
            self.notify("Last answer copied to the clipboard.", markup=False)
            return
        self.notify("No answer to copy yet.", markup=False)

    def action_toggle_theme(self) -> None:
        self.app.theme = "textual-light" if self.app.current_theme.dark else "textual-dark"

    def action_screenshot(self) -> None:
        try:
            path = self.app.save_screenshot(path=str(Path.cwd()))
        except OSError as exc:
            self.notify(f"Screenshot not saved: {exc}", severity="error", markup=False)
            return
        self.notify(f"Screenshot saved: {path}", markup=False)

    def action_full_plan(self) -> None:
        """The whole plan for the current patient, as an ordinary turn (so transcripts record it)."""
        if not self.conv.replies:
            self.notify("No answer yet: ask a question first.", markup=False)
            return
        self.ask(FULL_PLAN_PHRASE)

    def action_save_transcript(self) -> None:
        if not self.conv.replies:
            self.notify("Nothing to save yet: this conversation has no turns.", markup=False)
            return
        default = self.transcript or f"transcript-{time.strftime('%Y%m%d-%H%M%S')}.yaml"
        self.app.push_screen(PathScreen("Save the conversation as a transcript (YAML)", default), self.save_transcript)

    def save_transcript(self, path: str | None) -> Path | None:
        if not path:
            return None
        try:
            from assistant.replay import save_transcript
        except ImportError:
            self.notify("Saving transcripts is not available in this build.", severity="error", markup=False)
            return None
        try:
            save_transcript(self.conv, path)
        except Exception as exc:
            self.notify(f"Transcript not saved: {exc}", severity="error", markup=False)
            return None
        saved = Path(path).expanduser().resolve()
        self.last_saved = [saved]
        self.notify(f"Transcript saved: {saved}", markup=False)
        return saved

    def action_export(self) -> None:
        default = f"conversation-{time.strftime('%Y%m%d-%H%M%S')}"
        prompt = "Export the conversation (writes .md, .json and the .html handout)"
        self.app.push_screen(PathScreen(prompt, default), self.export)

    def export(self, stem: str | None) -> list[Path]:
        if not stem:
            return []
        try:
            paths = list(export_conversation(self.conv, stem))
        except OSError as exc:
            self.notify(f"Export failed: {exc}", severity="error", markup=False)
            return []
        self.last_saved = paths
        self.notify("Exported: " + ", ".join(str(p) for p in paths), markup=False)
        if self.app.is_web:  # in a browser (assistant web): also open the handout there, to print or project
            self.app.deliver_text(paths[-1], open_method="browser", mime_type="text/html")
        return paths
