"""User configuration: the default guideline profile, from a small TOML file.

Looked up in $ASSISTANT_CONFIG, else $XDG_CONFIG_HOME/guideline-assistant/config.toml
(~/.config/...). Example:  profile = "aace"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

DEFAULT_PROFILE = "us"
KNOWN_PROFILES = ("us", "aace", "acp", "endocrine")


def config_path() -> Path:
    explicit = os.environ.get("ASSISTANT_CONFIG")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "guideline-assistant" / "config.toml"


def configured_profile() -> str:
    """The profile named in the config file, or 'us'. A broken file is ignored, never fatal."""
    path = config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_PROFILE
    profile = data.get("profile")
    return profile if isinstance(profile, str) and profile in KNOWN_PROFILES else DEFAULT_PROFILE


def state_dir() -> Path:
    """Where the terminal app journals conversations ($XDG_STATE_HOME/guideline-assistant)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "guideline-assistant"
