"""Reading source files safely: pages and data files become text or one Problem, never
an exception, and walking ``docs/`` never follows a symbolic link out of it or in a loop.

Shared by the checker and the MkDocs hooks, so a bad file is reported the same way (file
and line) by ``check_site.py`` and by ``mkdocs build --strict``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

MAX_SOURCE_BYTES = 8 * 1024 * 1024  # no page or data file comes near this


@dataclass
class SourceText:
    """A readable source file, or a problem saying why it is not readable."""

    text: str | None
    problem: Problem | None


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def read_source(path: Path, rel: str, limit: int = MAX_SOURCE_BYTES) -> SourceText:
    """The UTF-8 text of ``path``; a Problem at the offending line if it is binary, not
    UTF-8, too large, a symbolic link loop or otherwise unreadable."""

    def fail(line, message):
        return SourceText(None, Problem(rel, line, message, rule="encoding"))

    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return fail(None, "symbolic link loop: the file cannot be read")
        return fail(None, f"cannot read: {exc.strerror or exc}")
    if len(data) > limit:
        return fail(None, f"larger than {limit // 2**20} MiB: not read")
    nul = data.find(b"\0")
    if nul >= 0:
        line, _ = _line_col(data, nul)
        return fail(line, "binary file: NUL byte in a text source")
    data = data.removeprefix(b"\xef\xbb\xbf")  # as MkDocs reads: no byte-order mark,
    try:  # and universal newlines, as text-mode reads do
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        return SourceText(text, None)
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        return fail(line, f"not valid UTF-8 at column {col} ({exc.reason})")


def safe_walk(
    top: str, on_skip: Callable[[str, str], None] | None = None, within: str | None = None
) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top, followlinks=True)`` that follows a symbolic link only when its target
    lies inside ``within`` (default ``top``) and is not a folder already being walked (no
    loops, no escapes). Skipped links are dropped from the listing and passed to
    ``on_skip(path, reason)``."""
    root = os.path.realpath(within or top)
    inside = root + os.sep

    def usable(path: str, is_dir: bool, ancestors: set[str]) -> str | None:
        try:
            real = os.path.realpath(path, strict=True)
        except OSError as exc:
            return "symbolic link loop" if exc.errno == 40 else "broken symbolic link"
        except RuntimeError:
            return "symbolic link loop"
        if real != root and not real.startswith(inside):
            return "symbolic link to outside the docs folder"
        if is_dir and (real in ancestors or root.startswith(real + os.sep) or real == root):
            return "symbolic link loop (a folder linking to itself or to a parent)"
        return None

    def walk(current: str, ancestors: set[str]):
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            return
        dirs, files = [], []
        for entry in entries:
            link = entry.is_symlink()
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if link:
                reason = usable(entry.path, is_dir, ancestors)
                if reason:
                    if on_skip:
                        on_skip(entry.path, reason)
                    continue
            (dirs if is_dir else files).append(entry.name)
        yield current, dirs, files
        for name in dirs:
            path = os.path.join(current, name)
            yield from walk(path, ancestors | {os.path.realpath(path)})

    yield from walk(top, {root, os.path.realpath(top)})


def skipped_links(docs: Path, root: Path) -> list[Problem]:
    """A Problem for every symbolic link under ``docs`` that is not followed."""
    found: list[Problem] = []

    def skip(path: str, reason: str) -> None:
        rel = Path(os.path.relpath(path, root)).as_posix()
        found.append(Problem(rel, None, f"{reason}: not followed", rule="source"))

    for _ in safe_walk(str(docs), skip):
        pass
    return found
