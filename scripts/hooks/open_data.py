"""Publish the data tables as open data (CSV, JSON, datapackage.json) under /data/.

Why: researchers and journalists reuse the trials, interactions, legal-status and
emergency-number tables; copying them out of HTML loses the sources and dates. The files are
built once, after the default language's build (scripts/mdma_guide/opendata.py), and every
table on every language's pages links its CSV and JSON. This hook runs before the data-tables
hook, which replaces the ``[[data:NAME]]`` markers it looks for.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from mkdocs.utils import get_relative_url

from _setup import build_languages, repo_root, report
from mdma_guide import bibliography, datatables, opendata
from mdma_guide.errors import SourceError
from mdma_guide.strings import strings_for

log = logging.getLogger("mkdocs.hooks.open_data")


def on_page_markdown(markdown, page, config, files):
    if "[[data:" not in markdown:
        return markdown
    lang = config.theme.get("language", "en")
    label = escape(strings_for(repo_root(config), lang)["download"])

    def add_links(match):
        name = match.group("name")
        if name not in opendata.TABLES:
            return match.group(0)
        links = opendata.download_links(name, page.url, label, get_relative_url)
        return f"{match.group(0).rstrip()}\n\n{links}\n"

    return datatables.MARKER.sub(add_links, markdown)


def on_post_build(config):
    languages, default = build_languages(config)
    if config.theme.get("language", "en") != default:
        return  # one language-independent copy
    root = Path(repo_root(config))
    try:
        bib = bibliography.load(root)
    except SourceError:
        bib = None  # the citations hook has already reported the bibliography's problems
    files, problems = opendata.build(root, config.site_url or "/", bib)
    report(log, [p for p in problems if p.severity != "error"])  # errors: data-tables hook
    opendata.write(Path(config.site_dir) / opendata.OUT_DIR, files)
