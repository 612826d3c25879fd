"""`assistant web`: the same Textual app in a browser, served by textual-serve.

textual-serve starts one app process per browser connection, so each tab is its own conversation
(and a new tab never offers to resume another tab's). Nothing is authenticated: the server listens on
127.0.0.1 unless told otherwise, and says so on stderr when it is told otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

WARNING = (
    "assistant web: warning: listening on {host}, not only on this machine. Nothing is authenticated: "
    "anyone who can reach {host}:{port} can use the app and read what is typed into it."
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def session_command(profile: str) -> str:
    """The command textual-serve runs for each browser connection."""
    return shlex.join([sys.executable, "-m", "assistant.web", "--session", "--profile", profile])


# textual-serve's page loads its terminal font from a web font service; the same font ships in its
# static folder. The page is served with that link replaced by a local @font-face, so nothing is
# fetched from outside (a classroom may be offline, and what is typed stays on this machine).
_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.S)
_LOCAL_FONT = (
    "<style>@font-face { font-family: 'Roboto Mono'; font-weight: 100 700; "
    "src: url('{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf') format('truetype'); }</style>"
)


def offline_templates() -> Path | None:
    """A copy of textual-serve's page template that fetches nothing from outside; None if its page
    has changed shape (the page is then served as it is)."""
    import textual_serve

    source = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    try:
        page = source.read_text(encoding="utf-8")
    except OSError:
        return None
    if not _FONT_LINK.search(page):
        return None
    folder = Path(tempfile.mkdtemp(prefix="assistant-web-"))
    (folder / "app_index.html").write_text(_FONT_LINK.sub(_LOCAL_FONT, page), encoding="utf-8")
    return folder


def serve(host: str = "127.0.0.1", port: int = 8000, profile: str = "us", public_url: str | None = None) -> int:
    """Serve until interrupted. Returns the exit status (2 when the address cannot be used)."""
    from textual_serve.server import Server

    if not is_loopback(host):
        print(WARNING.format(host=host, port=port), file=sys.stderr, flush=True)
    if not 0 < port < 65536:
        print(f"assistant web: no such port: {port}", file=sys.stderr)
        return 2
    templates = offline_templates()
    extra = {"templates_path": templates} if templates is not None else {}
    server = Server(session_command(profile), host=host, port=port, title="Guideline assistant: bone health",
                    public_url=public_url, **extra)
    try:
        server.serve()
    except OSError as exc:
        print(f"assistant web: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        if templates is not None:
            shutil.rmtree(templates, ignore_errors=True)
    return 0


def run_session(profile: str) -> int:
    """One browser tab's app (run by textual-serve with its web driver): a fresh conversation."""
    from assistant.tui.app import AssistantApp

    app = AssistantApp(profile=profile, offer_resume=False)
    app.run()
    return int(app.return_code or 0)


def _main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m assistant.web")
    p.add_argument("--session", action="store_true", help="run one browser session's app (textual-serve does)")
    p.add_argument("--profile", default="us")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    args = p.parse_args(argv)
    if args.session:
        return run_session(args.profile)
    return serve(args.host, args.port, args.profile)


if __name__ == "__main__":
    sys.exit(_main())
