"""Render ``[[data:NAME]]`` lines from schema-validated data files (docs/data/).

Why: trials, legal status and interactions change often and must be checked field by field;
hand-written Markdown tables drift and cannot be validated. This hook runs before the
citations hook so that a table's sources become ordinary numbered citations. The rendering is
mdma_guide.pages.render_tables (also used for engines that run no hooks).
"""

from __future__ import annotations

import logging
from pathlib import Path

from _setup import rel, repo_root, report
from mdma_guide import bibliography, pages

log = logging.getLogger("mkdocs.hooks.data_tables")


def on_page_markdown(markdown, page, config, files):
    if "[[data:" not in markdown:
        return markdown
    root = Path(repo_root(config))
    bib, _ = bibliography.load_checked(root)  # the citations hook reports its problems
    lang = config.theme.get("language", "en")
    file = rel(page.file.abs_src_path, config)
    markdown, problems = pages.render_tables(markdown, root, lang, file, bib)
    report(log, problems)
    return markdown
