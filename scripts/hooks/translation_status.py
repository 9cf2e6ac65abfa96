"""Render ``[[translation-status]]`` and ``[[translation-fallback]]`` (scripts/mdma_guide/
translation_status.py).

Why: translators and readers should see the state of each language on the site itself,
from the same rules the checker applies; and a page that tells readers about English
fallbacks must say what the translation state really is.
"""

from __future__ import annotations

from pathlib import Path

from _setup import repo_root
from mdma_guide import translation_status
from mdma_guide.project import load_project


def on_page_markdown(markdown, page, config, files):
    if translation_status.MARKER not in markdown and translation_status.FALLBACK not in markdown:
        return markdown
    project = load_project(Path(repo_root(config)))
    return translation_status.render(markdown, project, config.theme.get("language", "en"))
