"""The page transforms, as plain functions of a page's Markdown, its language and its file:
data tables (``[[data:NAME]]``), citations and reference lists (``[@key]``), the References
page (``[[bibliography]]``) and glossary tooltips. The MkDocs hooks call them during the build;
``prerender`` applies them to a copy of the sources for an engine that runs no hooks (job C,
scripts/engines.py), since each source's folder says its language.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from . import bibliography, citations, datatables, emergency, frontmatter, glossary
from .errors import Problem, SourceError
from .sources import read_source
from .strings import strings_for


def render_tables(markdown: str, root: Path, lang: str, file: str, bib) -> tuple[str, list]:
    """``[[data:NAME]]`` and ``[[data:legal-status:sections]]`` lines as Markdown tables and
    sections (their sources as ordinary citations, numbered by ``citations.render`` next)."""
    if "[[data:" not in markdown:
        return markdown, []
    strings = strings_for(str(root), lang)
    problems: list[Problem] = []

    def replace(match):
        name = match.group("name")
        rows, found = datatables.load(root, name, bib)
        problems.extend(found)
        if name not in datatables.TABLES:
            problems.append(Problem(file, None, f"unknown data table '[[data:{name}]]'"))
            return match.group(0)
        if name == emergency.NAME:
            return emergency.render(rows, strings, lang, lambda d: datatables.date_text(d, lang))
        return datatables.render(name, rows, strings, bib, lang)

    def sections(match):
        rows, found = datatables.load(root, "legal-status", bib)
        problems.extend(found)
        return datatables.render_sections(rows, strings, bib, lang)

    markdown = datatables.SECTIONS_MARKER.sub(sections, markdown)
    return datatables.MARKER.sub(replace, markdown), problems


def cited_keys(source: str, root: Path) -> list[str]:
    """Every work a page cites, its data tables' sources included, once each, in order."""
    keys = citations.keys_in(source)
    for match in datatables.MARKER.finditer(source):
        rows, _ = datatables.load(root, match.group("name"))
        keys += datatables.keys_of(rows, match.group("name"))
    if datatables.SECTIONS_MARKER.search(source):
        rows, _ = datatables.load(root, "legal-status")
        keys += datatables.keys_of(rows, "legal-status")
    return list(dict.fromkeys(keys))


def add_glossary(markdown: str, entries: list, lang: str) -> str:
    """The Glossary page for ``[[glossary]]``; elsewhere the abbreviations of the terms used."""
    if glossary.MARKER in markdown:
        return markdown.replace(glossary.MARKER, glossary.page_html(entries, lang))
    abbr = glossary.abbreviations(markdown, entries, lang)
    return f"{markdown.rstrip()}\n\n{abbr}\n" if abbr else markdown


@dataclass
class Prerendered:
    pages: int = 0
    problems: list[Problem] = field(default_factory=list)


def page_url(page: str) -> str:
    """A source path's directory URL, as MkDocs writes it (use_directory_urls)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    return stem.rstrip("/") + "/" if stem.strip("/") else ""


def prerender(docs: Path, root: Path, languages: list[str]) -> Prerendered:
    """Apply the page transforms in place to every page of a copy of the sources, in its
    language (its folder), keeping each front matter. For engines that run no hooks."""
    result = Prerendered()
    bib, problems = bibliography.load_checked(root)
    result.problems += problems
    entries, problems = glossary.load(root)
    result.problems += problems
    sources: dict[str, dict[str, tuple[Path, str]]] = {}
    for lang in languages:
        for path in sorted((docs / lang).rglob("*.md")):
            text = read_source(path, path.relative_to(root).as_posix()).text
            if text is not None:
                sources.setdefault(lang, {})[path.relative_to(docs / lang).as_posix()] = (
                    path,
                    text,
                )
    for lang, pages in sources.items():
        strings = strings_for(str(root), lang)
        for page, (path, text) in pages.items():
            file = path.relative_to(root).as_posix()
            try:
                fm = frontmatter.split(text, file)
            except SourceError as exc:
                result.problems += exc.problems
                continue
            head = text[: len(text) - len(fm.body)]
            body, problems = render_tables(fm.body, root, lang, file, bib)
            result.problems += problems
            if bib is not None:
                body, _, problems = citations.render(
                    body, bib, file, lang, strings, first_line=fm.body_line
                )
                result.problems += problems
                if citations.BIBLIOGRAPHY_MARKER in body:
                    body = body.replace(
                        citations.BIBLIOGRAPHY_MARKER,
                        _bibliography(page, pages, root, bib, lang, strings),
                    )
            body = add_glossary(body, entries or [], lang)
            path.write_text(head + body, encoding="utf-8")
            result.pages += 1
    return result


def _bibliography(here: str, pages: dict, root: Path, bib, lang: str, strings: dict) -> str:
    cited_on: dict[str, list[tuple[str, str]]] = {}
    base = page_url(here)
    for page, (_, text) in pages.items():
        try:
            title = frontmatter.split(text, page).meta.get("title") or page
        except SourceError:
            title = page
        url = posixpath.relpath(page_url(page) or ".", base or ".") + "/"
        url = "./" if url == "./" else url.removeprefix("./")
        for key in cited_keys(text, root):
            cited_on.setdefault(key, []).append((str(title), url))
    return citations.bibliography_page(bib, cited_on, lang, strings, strings["topics"])
