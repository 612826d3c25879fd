"""User configuration: the default guideline profile, from a small TOML file.

Looked up in $ASSISTANT_CONFIG, else $XDG_CONFIG_HOME/guideline-assistant/config.toml
(~/.config/...). Example:  profile = "aace"
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_PROFILE = "us"
KNOWN_PROFILES = ("us", "aace", "acp", "endocrine")


def config_path() -> Path:
    explicit = os.environ.get("ASSISTANT_CONFIG")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "guideline-assistant" / "config.toml"


def load_profile() -> tuple[str, str | None]:
    """The profile named in the config file (or 'us' when there is none) and, when the file could not
    be used, what was wrong with it (to report on stderr or as a notice in the app). A broken file is
    never fatal, but never silently replaced by the default either."""
    path = config_path()
    explicit = bool(os.environ.get("ASSISTANT_CONFIG"))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            return (
                DEFAULT_PROFILE,
                f"config file {path} (from ASSISTANT_CONFIG) not found; using the {DEFAULT_PROFILE} profile",
            )
        return DEFAULT_PROFILE, None
    except (OSError, UnicodeDecodeError) as exc:
        return DEFAULT_PROFILE, f"config file {path} cannot be read ({exc}); using the {DEFAULT_PROFILE} profile"
    import tomllib  # only when there is a file to read: its import costs a one-shot `assistant ask` ~5% of its start

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return DEFAULT_PROFILE, f"config file {path} cannot be read ({exc}); using the {DEFAULT_PROFILE} profile"
    profile = data.get("profile")
    if profile is None:
        return DEFAULT_PROFILE, None
    if not isinstance(profile, str) or profile not in KNOWN_PROFILES:
        known = ", ".join(KNOWN_PROFILES)
        return DEFAULT_PROFILE, (
            f"config file {path} names an unknown profile {profile!r} (one of {known}); "
            f"using the {DEFAULT_PROFILE} profile"
        )
    return profile, None


def configured_profile() -> str:
    """The profile named in the config file, or 'us' (load_profile() also says what was wrong)."""
    return load_profile()[0]


def state_dir() -> Path:
    """Where the terminal app journals conversations ($XDG_STATE_HOME/guideline-assistant)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "guideline-assistant"
