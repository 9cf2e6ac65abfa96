"""Shared by the hooks: make ``scripts/`` importable and report problems the MkDocs way.

MkDocs loads each hook file as a module of its own, outside any package, so the hooks put
``scripts/`` on ``sys.path`` to reach the pure code in ``scripts/mdma_guide``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1]
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


def repo_root(config) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path))


def build_languages(config) -> tuple[list[str], str]:
    """The built languages (from the i18n plugin block of mkdocs.yml) and the default one."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        lang = config.theme.get("language", "en")
        return [lang], lang
    built = [lang.locale for lang in i18n.config.languages if lang.build]
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    return built, default


def rel(path: str, config) -> str:
    """A source path relative to the repository root, as every message names it."""
    return os.path.relpath(path, repo_root(config)).replace(os.sep, "/")


def report(log, problems) -> None:
    """Errors fail the strict build (at its end, so every problem is listed at once)."""
    for problem in problems:
        if problem.severity == "error":
            log.error(str(problem))
        else:
            log.info(str(problem))


def page_source(file, config) -> str | None:
    """The text of a page's source file, or None when it cannot be read (binary, not UTF-8,
    a symbolic link loop): the metadata hook reports why, at the file and line."""
    from mdma_guide.sources import read_source

    path = file.abs_src_path
    if path is None:
        return file.content_string
    return read_source(Path(path), rel(path, config)).text
