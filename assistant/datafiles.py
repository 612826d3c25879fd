"""Finding and reading the project's data files (corpus/ and prompts/): YAML once per process, with the fast C
loader when present,
and from a small on-disk cache of the parsed data when the file has not changed since.

The lowest layer: any module may use it. The returned data is shared: callers must not mutate it.
The YAML library is imported only when a file has to be parsed (a cache miss): a one-shot `assistant ask`
with the cache warm never loads it (its import costs about as much as the whole first answer).
The cache (under $XDG_CACHE_HOME/guideline-assistant/, or ~/.cache) holds plain data (marshal)
keyed by the file's path, size and modification time; any problem with it falls back to parsing.
Set ASSISTANT_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from functools import cache
from pathlib import Path
from types import ModuleType

_PACKAGE = Path(__file__).resolve().parent  # assistant/
# corpus/ and prompts/ sit at the top of a checkout; the wheel ships them inside the package (setup.py copies
# them there at build time), so an installed `assistant` finds them next to its modules.
_HOMES = (_PACKAGE, _PACKAGE.parent)


def _data_dir(name: str) -> Path:
    for home in _HOMES:
        candidate = home / name
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name  # a checkout's layout: the error that follows names the expected place


CORPUS_DIR = _data_dir("corpus")
PROMPTS_DIR = _data_dir("prompts")


def corpus_file(name: str) -> Path:
    """A file of corpus/ (in a checkout or in the installed package)."""
    return CORPUS_DIR / name


def prompts_file(name: str) -> Path:
    """A file of prompts/ (in a checkout or in the installed package)."""
    return PROMPTS_DIR / name
_CACHE_VERSION = 1


def _yaml() -> ModuleType:
    import yaml  # imported on first need (see the module's docstring)

    return yaml


def yaml_error() -> type[Exception]:
    """The YAML library's error class, for an `except` clause (evaluated only when an exception is raised)."""
    return _yaml().YAMLError


def load_yaml_text(text: str) -> object:
    """Parse YAML text with a safe loader (C-accelerated where libyaml is available)."""
    yaml = _yaml()
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


@cache
def cache_dir() -> Path | None:
    """The per-user cache directory, or None when caching is off or impossible."""
    if os.environ.get("ASSISTANT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "guideline-assistant"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return directory


def _cache_file(path: Path) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:20]
    return directory / "yaml" / f"{digest}.marshal"


def _from_cache(path: Path, stamp: tuple[int, int]) -> tuple[bool, object]:
    target = _cache_file(path)
    if target is None:
        return False, None
    try:
        version, cached_stamp, data = marshal.loads(target.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False, None
    if version != _CACHE_VERSION or tuple(cached_stamp) != stamp:
        return False, None
    return True, data


def _to_cache(path: Path, stamp: tuple[int, int], data: object) -> None:
    target = _cache_file(path)
    if target is None:
        return
    try:
        payload = marshal.dumps((_CACHE_VERSION, stamp, data))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        os.replace(tmp, target)
    except (OSError, ValueError):
        return


def parse_yaml_file(path: Path) -> object:
    """Parse one YAML file, through the on-disk cache. Raises OSError / UnicodeDecodeError /
    yaml.YAMLError like a plain read-and-parse would (errors are never cached)."""
    path = Path(path)
    info = path.stat()
    stamp = (info.st_size, info.st_mtime_ns)
    hit, data = _from_cache(path, stamp)
    if hit:
        return data
    data = load_yaml_text(path.read_text(encoding="utf-8"))
    _to_cache(path, stamp, data)
    return data


@cache
def read_yaml(path: Path) -> object:
    """Parse a YAML data file once per process. Raises OSError / yaml.YAMLError as usual."""
    return parse_yaml_file(Path(path))
