"""`assistant web`: the same Textual app in a browser, served by textual-serve.

textual-serve starts one app process per browser connection, so each tab is its own conversation
(and a new tab never offers to resume another tab's). Nothing is authenticated: the server listens on
127.0.0.1 unless told otherwise, and says so on stderr when it is told otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

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


def serve(host: str = "127.0.0.1", port: int = 8000, profile: str = "us", public_url: str | None = None) -> int:
    """Serve until interrupted. Returns the exit status (2 when the address cannot be used)."""
    from textual_serve.server import Server

    if not is_loopback(host):
        print(WARNING.format(host=host, port=port), file=sys.stderr, flush=True)
    if not 0 < port < 65536:
        print(f"assistant web: no such port: {port}", file=sys.stderr)
        return 2
    server = Server(session_command(profile), host=host, port=port, title="Guideline assistant: bone health",
                    public_url=public_url)
    try:
        server.serve()
    except OSError as exc:
        print(f"assistant web: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
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
