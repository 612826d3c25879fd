"""Command line: assistant [chat] | ask | web | replay | corpus check | bench | serve.

Imports are lazy: `assistant ask` never imports Textual, so the one-shot path stays light.
Exit status: 0 for every answer (out of scope and "please clarify" included), 1 for failed replays,
2 for a usage error (bad flag, unreadable file), with one clear line on stderr.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Collection, Iterable
from pathlib import Path

FORMATS = ("text", "markdown", "json", "jsonl", "html")
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
    ask.add_argument("--full", action="store_true", help="the full plan: every recommendation, in full")
    ask.add_argument("--fhir", metavar="FILE", help="answer from a FHIR R4 Bundle (JSON) instead of a question")
    ask.add_argument("--date", metavar="YYYY-MM-DD", help="the date printed on an HTML handout (default: today)")

    web = sub.add_parser("web", help="serve the app in a browser (each tab its own conversation)")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    web.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    web.add_argument("--profile", choices=PROFILES, default=None)

    replay = sub.add_parser("replay", help="replay transcript files and check their expectations")
    replay.add_argument("files", nargs="+", metavar="FILE")
    replay.add_argument("--update", action="store_true", help="re-record the answer snapshots")

    corpus = sub.add_parser("corpus", help="corpus tools")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", parser_class=_Parser)
    check = corpus_sub.add_parser("check", help="validate corpus/, statements and rule citations; print a summary")
    check.add_argument("directory", nargs="?", help="a corpus directory to check instead of the bundled one")

    sub.add_parser("bench", help="print the benchmark figures")

    serve = sub.add_parser("serve", help="run the CDS Hooks service (FHIR in, cards out)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8088)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--jwks", metavar="FILE", help="JSON Web Key Set: every call must carry a JWT signed by it")
    serve.add_argument("--public-url", metavar="URL", help="the URL EHRs call (JWT audiences); default http://HOST:PORT")
    serve.add_argument("--profile", choices=PROFILES, default=None)
    serve.add_argument("--log-patient", action="store_true", help="log each call's patient id and card summaries")
    serve.add_argument("--access-log", action="store_true", help="log each request line (no patient data)")
    serve.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                       help="let a browser-based CDS client from ORIGIN call (CORS), e.g. a CDS Hooks sandbox")
    serve.add_argument("--jti-db", metavar="PATH", help="SQLite file of seen token ids, shared by every worker and by "
                       "other instances on this host given the same file (default: a new temporary file per start)")
    serve.add_argument("--issuer", action="append", default=[], metavar="ISS",
                       help="trust only tokens whose iss is ISS (repeatable; default: any issuer of a key in --jwks)")
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
    profile, problem = _configured(explicit)
    if problem:
        print(f"assistant: {problem}", file=sys.stderr)
    return profile


def _configured(explicit: str | None) -> tuple[str, str | None]:
    """The profile to use and, when the config file could not be used, what was wrong with it."""
    if explicit:
        return explicit, None
    from assistant.config import load_profile

    return load_profile()


def _emit(chunks: Iterable[str]) -> None:
    out = sys.stdout
    for chunk in chunks:
        out.write(chunk)
    out.flush()


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.conversation import Conversation

    profile = _default_profile(args.profile)
    sources = [args.question is not None, args.batch is not None, args.turns is not None, args.fhir is not None]
    if sum(sources) != 1:
        raise UsageError("assistant ask: give exactly one of QUESTION, -, --batch FILE, --turns FILE or --fhir FILE")
    if args.fhir is not None:
        date = _handout_date(args.date) if args.format == "html" else None
        return cmd_ask_fhir(args.fhir, profile, args.format, date)

    def one(conv: Conversation, text: str) -> str:
        reply = conv.ask(text)
        if args.compare:
            reply = conv.ask("compare guidelines")
        return reply.format(args.format)

    if args.format == "html":
        return _ask_html(args, profile)
    structured = args.format in ("json", "jsonl")
    sep = "" if structured else "\n" + "=" * 72 + "\n\n"
    if args.batch is not None:
        # Each line is its own question; answers are written as they are made.
        for i, q in enumerate(_read_lines(args.batch)):
            _emit([sep if i else "", one(Conversation(profile=profile, full=args.full), q)])
        return 0
    if args.turns is not None:
        conv = Conversation(profile=profile, full=args.full)
        for i, turn in enumerate(_read_lines(args.turns)):
            shown = "" if structured else f"> {turn}\n\n"
            _emit([sep if i else "", shown, one(conv, turn)])
        return 0
    question = sys.stdin.read() if args.question == "-" else args.question
    _emit([one(Conversation(profile=profile, full=args.full), question)])
    return 0


def _handout_date(text: str | None) -> str | None:
    if text is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise UsageError(f"assistant ask: --date wants YYYY-MM-DD, not {text!r}") from None


def _ask_html(args: argparse.Namespace, profile: str) -> int:
    """One self-contained HTML handout: for one question, or for a whole conversation (--turns)."""
    from assistant.conversation import Conversation
    from assistant.handout import render_handout

    if args.batch is not None:
        raise UsageError("assistant ask: --format html makes one page per patient: use QUESTION or --turns FILE")
    date = _handout_date(args.date)
    conv = Conversation(profile=profile)
    turns = _read_lines(args.turns) if args.turns is not None else [
        sys.stdin.read() if args.question == "-" else args.question
    ]
    for turn in turns:
        conv.ask(turn)
    if args.compare:
        conv.ask("compare guidelines")
    _emit([render_handout(conv, date=date)])
    return 0


def cmd_ask_fhir(path: str, profile: str, fmt: str, date: str | None = None) -> int:
    from assistant.service.fhir_facts import FhirError
    from assistant.service.record import load_record, record_reply

    try:
        reply = record_reply(load_record(path), profile, fmt, date=date)
    except (OSError, UnicodeDecodeError, FhirError) as exc:
        raise UsageError(f"assistant ask --fhir: {path}: {exc}") from None
    _emit([reply])
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.service.run import ServeError, serve

    try:
        return serve(
            host=args.host,
            port=args.port,
            workers=args.workers,
            jwks=args.jwks,
            public_url=args.public_url,
            profile=_default_profile(args.profile),
            log_patient=args.log_patient,
            access_log=args.access_log,
            allow_origins=tuple(args.allow_origin),
            jti_db=args.jti_db,
            issuers=tuple(args.issuer),
        )
    except ServeError as exc:
        raise UsageError(f"assistant serve: {exc}") from None


def _threshold_problems(directory: str | None, passages: Collection[str]) -> list[str]:
    """corpus/thresholds.yaml (or the checked directory's copy): complete entries, existing passages, and every
    threshold id the engine, the templates and the profiles name defined."""
    from assistant import datafiles
    from assistant.engine.knowledge.profiles import threshold_ids
    from assistant.engine.knowledge.thresholds import check_thresholds, referenced_ids, thresholds_path
    from assistant.statements import statement_sources

    base = Path(directory) if directory else datafiles.CORPUS_DIR
    path = base / "thresholds.yaml" if directory and (base / "thresholds.yaml").exists() else thresholds_path()
    profiles = base / "profiles.yaml" if (base / "profiles.yaml").exists() else datafiles.corpus_file("profiles.yaml")
    used: set[str] = set()
    for source in Path(__file__).resolve().parent.rglob("*.py"):
        used |= referenced_ids(source.read_text(encoding="utf-8"))
    for text in statement_sources().values():
        used |= referenced_ids(text)
    try:
        used |= threshold_ids(datafiles.parse_yaml_file(profiles))
    except Exception as exc:  # OSError, yaml.YAMLError: reported, not raised
        return [f"{profiles}: cannot be read: {exc}"]
    return check_thresholds(path, passages, used)


def cmd_corpus_check(directory: str | None = None) -> int:
    from assistant.corpus import CorpusError, load_corpus
    from assistant.engine import all_rules
    from assistant.engine.knowledge.thresholds import all_thresholds
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
    problems += _threshold_problems(directory, corpus.passages)
    problems += check_vocabulary()
    for problem in problems:
        print(f"assistant corpus check: {problem}", file=sys.stderr)
    cited = {pid for r in rules for pid in r.cites}
    print(
        f"corpus ok: {len(corpus.references)} references, {len(corpus.passages)} passages, "
        f"{len(rules)} rules ({len(cited)} passages cited by rule declarations), {keys} statements, "
        f"{len(all_thresholds())} thresholds"
        if not problems
        else f"corpus has {len(problems)} problem(s)"
    )
    return 2 if problems else 0


def cmd_chat(args: argparse.Namespace) -> int:
    profile, problem = _configured(args.profile)
    if problem:
        print(f"assistant: {problem}", file=sys.stderr)  # and a notice in the app
    if args.plain or not sys.stdin.isatty() or not sys.stdout.isatty():
        from assistant.plain_chat import run_plain_chat

        return run_plain_chat(profile=profile, transcript=args.transcript)
    try:
        from assistant.tui.app import run_app
    except ImportError:
        from assistant.plain_chat import run_plain_chat

        return run_plain_chat(profile=profile, transcript=args.transcript)
    return run_app(profile=profile, transcript=args.transcript, notice=problem)


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
        if args.command == "web":
            from assistant.web import serve

            return serve(args.host, args.port, _default_profile(args.profile))
        if args.command == "replay":
            from assistant.replay import main_replay

            return main_replay(args.files, update=args.update)
        if args.command == "corpus":
            if args.corpus_command != "check":
                raise UsageError("assistant corpus: the only subcommand is 'check'")
            return cmd_corpus_check(args.directory)
        if args.command == "serve":
            return cmd_serve(args)
        if args.command == "bench":
            # The benchmark reads the test transcripts: it lives with them in a checkout, not in the package.
            script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
            if not script.exists():
                raise UsageError("assistant bench: runs from a source checkout (benchmarks/bench.py)")
            return subprocess.call([sys.executable, str(script)])
        parser.print_help()
        return 2
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
