"""Render Pandoc-style citations against the one bibliography (docs/references.yaml).

Why: no maintained MkDocs plugin renders CSL citations per language (mkdocs-bibtex is no
longer maintained), and a health site must never let a citation vanish. A typo in a key,
a malformed entry or a retracted work cited without ``{.retracted}`` fails the strict build
with file and line (cf. Material's shortcodes hook, which raises on unknown markup).
mkdocs-static-i18n runs one build per language, so the state below is reset per build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from _setup import page_source, rel, repo_root, report
from mdma_guide import bibliography, citations, frontmatter, pages
from mdma_guide.errors import SourceError
from mdma_guide.project import load_project
from mdma_guide.strings import strings_for

log = logging.getLogger("mkdocs.hooks.citations")
_state: dict = {}


def on_pre_build(config):
    _state.clear()
    root = repo_root(config)
    _state["root"] = root
    # Every problem fails the strict build with its file and line; the build goes on with
    # the usable entries so that the other problems are reported too.
    bib, problems = bibliography.load_checked(Path(root))
    report(log, problems)
    _state["bib"] = bib


def _lang(config) -> str:
    return config.theme.get("language", "en")


def on_page_markdown(markdown, page, config, files):
    bib = _state["bib"]
    if bib is None:
        return markdown  # the bibliography cannot be read: reported in on_pre_build
    lang = _lang(config)
    strings = strings_for(repo_root(config), lang)
    file = rel(page.file.abs_src_path, config)
    first_line = _first_line(page_source(page.file, config), markdown, file)
    text, cited, problems = citations.render(markdown, bib, file, lang, strings, first_line)
    report(log, problems)
    # The works this page cites, for its JSON-LD (page_metadata hook, scripts/mdma_guide/jsonld.py).
    page.cited_works = [bib[key] for key in cited.order]
    if citations.BIBLIOGRAPHY_MARKER in text:
        here = page.file.src_uri.split("/", 1)[-1]  # the path in the language's folder
        project = load_project(Path(repo_root(config)))
        listing = pages.bibliography_html(project, here, lang, bib, strings)
        text = text.replace(citations.BIBLIOGRAPHY_MARKER, listing)
    return text


def _first_line(source: str | None, markdown: str, file: str) -> int:
    """The source line of the Markdown's first line. MkDocs drops the front matter and the
    blank lines after it; an unusable front matter was blanked, so lines match."""
    if source is None:
        return 1
    try:
        fm = frontmatter.split(source, file)
    except SourceError:
        return 1  # the metadata hook reports the broken front matter
    if not fm.meta:
        return 1
    skipped = len(fm.body) - len(fm.body.lstrip("\n"))
    return fm.body_line + skipped
