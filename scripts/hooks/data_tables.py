"""Render ``[[data:NAME]]`` lines from schema-validated data files (docs/data/).

Why: trials, legal status and interactions change often and must be checked field by field;
hand-written Markdown tables drift and cannot be validated. This hook runs before the
citations hook so that a table's sources become ordinary numbered citations.
"""

from __future__ import annotations

import logging
from pathlib import Path

from _setup import rel, repo_root, report
from mdma_guide import bibliography, datatables, emergency
from mdma_guide.strings import strings_for

log = logging.getLogger("mkdocs.hooks.data_tables")


def on_page_markdown(markdown, page, config, files):
    if "[[data:" not in markdown:
        return markdown
    root = Path(repo_root(config))
    lang = config.theme.get("language", "en")
    strings = strings_for(str(root), lang)
    bib, _ = bibliography.load_checked(root)  # the citations hook reports its problems
    file = rel(page.file.abs_src_path, config)

    def replace(match):
        name = match.group("name")
        rows, problems = datatables.load(root, name, bib)
        report(log, problems)
        if name not in datatables.TABLES:
            log.error(f"{file}: unknown data table '[[data:{name}]]'")
            return match.group(0)
        if name == emergency.NAME:
            return emergency.render(rows, strings, lang, lambda d: datatables.date_text(d, lang))
        return datatables.render(name, rows, strings, bib, lang)

    def sections(match):
        rows, problems = datatables.load(root, "legal-status", bib)
        report(log, problems)
        return datatables.render_sections(rows, strings, bib, lang)

    markdown = datatables.SECTIONS_MARKER.sub(sections, markdown)
    return datatables.MARKER.sub(replace, markdown)
