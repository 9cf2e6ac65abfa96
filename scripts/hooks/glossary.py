"""Glossary tooltips and the Glossary page, per language, from docs/data/glossary.yaml.

Why: pymdown's snippets can auto-append one abbreviation file to every page, but not one
per language, and a hand-kept list per language would drift from the Glossary page. This
hook adds to each page the abbreviations for the terms it uses, in the page's language.
"""

from __future__ import annotations

import logging
from pathlib import Path

from _setup import repo_root, report
from mdma_guide import glossary, pages

log = logging.getLogger("mkdocs.hooks.glossary")
_state: dict = {}


def on_pre_build(config):
    entries, problems = glossary.load(Path(repo_root(config)))
    report(log, problems)
    _state["entries"] = entries


def on_page_markdown(markdown, page, config, files):
    lang = config.theme.get("language", "en")
    return pages.add_glossary(markdown, _state.get("entries") or [], lang)


def on_page_content(html, page, config, files):
    return glossary.first_uses_only(html)
