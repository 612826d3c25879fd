"""Command line: assistant [chat] | ask | replay | corpus check | bench.

Imports are lazy: `assistant ask` never imports Textual, so the one-shot path stays light.
Exit status: 0 for every answer (out of scope and "please clarify" included), 1 for failed replays,
2 for a usage error (bad flag, unreadable file), with one clear line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

FORMATS = ("text", "markdown", "json", "jsonl")
PROFILES = ("us", "aace", "acp", "endocrine")


class UsageError(Exception):
    """A usage problem: printed as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="assistant", description="Guideline-grounded answers on osteopenia and osteoporosis.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    chat = sub.add_parser("chat", help="open the terminal app (default)")
    chat.add_argument("--plain", action="store_true", help="a plain line-by-line chat instead of the app")
    chat.add_argument("--transcript", metavar="FILE", help="save the conversation as a transcript on exit")
    chat.add_argument("--profile", choices=PROFILES, default=None)

    ask = sub.add_parser("ask", help="answer one question (or a batch, or a conversation) and exit")
    ask.add_argument("question", nargs="?", help="the question, or - to read it from standard input")
    ask.add_argument("--format", choices=FORMATS, default="text")
    ask.add_argument("--batch", metavar="FILE", help="one question a line, each answered on its own")
    ask.add_argument("--turns", metavar="FILE", help="one turn a line, answered as one conversation")
    ask.add_argument("--profile", choices=PROFILES, default=None)
    ask.add_argument("--compare", action="store_true", help="also compare the guideline profiles")

    replay = sub.add_parser("replay", help="replay transcript files and check their expectations")
    replay.add_argument("files", nargs="+", metavar="FILE")
    replay.add_argument("--update", action="store_true", help="re-record the answer snapshots")

    corpus = sub.add_parser("corpus", help="corpus tools")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", parser_class=_Parser)
    check = corpus_sub.add_parser("check", help="validate corpus/, statements and rule citations; print a summary")
    check.add_argument("directory", nargs="?", help="a corpus directory to check instead of the bundled one")

    sub.add_parser("bench", help="print the benchmark figures")
    return p


def _read_lines(path: str) -> list[str]:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"assistant ask: cannot read {path}: {exc}") from None
    return [line for line in text.splitlines() if line.strip()]


def _default_profile(explicit: str | None) -> str:
    if explicit:
        return explicit
    from assistant.config import configured_profile

    return configured_profile()


def _emit(chunks: Iterable[str]) -> None:
    out = sys.stdout
    for chunk in chunks:
        out.write(chunk)
    out.flush()


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.conversation import Conversation

    profile = _default_profile(args.profile)
    sources = [args.question is not None, args.batch is not None, args.turns is not None]
    if sum(sources) != 1:
        raise UsageError("assistant ask: give exactly one of QUESTION, -, --batch FILE or --turns FILE")

    def one(conv: Conversation, text: str) -> str:
        reply = conv.ask(text)
        if args.compare:
            reply = conv.ask("compare guidelines")
        return reply.format(args.format)

    structured = args.format in ("json", "jsonl")
    sep = "" if structured else "\n" + "=" * 72 + "\n\n"
    if args.batch is not None:
        # Each line is its own question; answers are written as they are made.
        for i, q in enumerate(_read_lines(args.batch)):
            _emit([sep if i else "", one(Conversation(profile=profile), q)])
        return 0
    if args.turns is not None:
        conv = Conversation(profile=profile)
        for i, turn in enumerate(_read_lines(args.turns)):
            shown = "" if structured else f"> {turn}\n\n"
            _emit([sep if i else "", shown, one(conv, turn)])
        return 0
    question = sys.stdin.read() if args.question == "-" else args.question
    _emit([one(Conversation(profile=profile), question)])
    return 0


def cmd_corpus_check(directory: str | None = None) -> int:
    from assistant.corpus import CorpusError, load_corpus
    from assistant.engine import all_rules
    from assistant.statements import StatementError, check_statements

    try:
        corpus = load_corpus(directory)
        keys = check_statements()
    except (CorpusError, StatementError) as exc:
        print(f"assistant corpus check: {exc}", file=sys.stderr)
        return 2
    from assistant.parse.vocabulary import check_vocabulary

    rules = all_rules()
    problems = [
        f"rule {r.id!r} cites unknown passage {pid!r}" for r in rules for pid in r.cites if pid not in corpus.passages
    ]
    problems += check_vocabulary()
    for problem in problems:
        print(f"assistant corpus check: {problem}", file=sys.stderr)
    cited = {pid for r in rules for pid in r.cites}
    print(
        f"corpus ok: {len(corpus.references)} references, {len(corpus.passages)} passages, "
        f"{len(rules)} rules ({len(cited)} passages cited by rule declarations), {keys} statements"
        if not problems
        else f"corpus has {len(problems)} problem(s)"
    )
    return 2 if problems else 0


def cmd_chat(args: argparse.Namespace) -> int:
    profile = _default_profile(args.profile)
    if args.plain or not sys.stdin.isatty() or not sys.stdout.isatty():
        from assistant.plain_chat import run_plain_chat

        return run_plain_chat(profile=profile, transcript=args.transcript)
    try:
        from assistant.tui.app import run_app
    except ImportError:
        from assistant.plain_chat import run_plain_chat

        return run_plain_chat(profile=profile, transcript=args.transcript)
    return run_app(profile=profile, transcript=args.transcript)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    parser = _build_parser()
    try:
        if not argv:
            argv = ["chat"]
        if argv[0] in ("-h", "--help"):
            parser.print_help()
            return 0
        args = parser.parse_args(argv)
        if args.command == "ask":
            return cmd_ask(args)
        if args.command == "chat":
            return cmd_chat(args)
        if args.command == "replay":
            from assistant.replay import main_replay

            return main_replay(args.files, update=args.update)
        if args.command == "corpus":
            if args.corpus_command != "check":
                raise UsageError("assistant corpus: the only subcommand is 'check'")
            return cmd_corpus_check(args.directory)
        if args.command == "bench":
            from assistant.bench import main_bench

            return main_bench()
        parser.print_help()
        return 2
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
