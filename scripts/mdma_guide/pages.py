"""The page transforms, as plain functions of a page's Markdown, its language and its file:
data tables (``[[data:NAME]]``), citations and reference lists (``[@key]``), the References
page (``[[bibliography]]``) and glossary tooltips. also the tables' download links, the changelog's
feed link and the translation-status markers. The MkDocs hooks call them during the build;
``prerender`` applies them to a copy of the sources for an engine that runs no hooks (job C,
scripts/engines.py), since each source's folder says its language.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from . import (
    bibliography,
    citations,
    datatables,
    emergency,
    feed,
    frontmatter,
    glossary,
    opendata,
    translation_status,
)
from .errors import Problem, SourceError
from .project import Project
from .sources import read_source
from .strings import strings_for


def relative_url(target: str, page_url: str) -> str:
    """A site-relative ``target`` as seen from the page at ``page_url`` (directory URLs), as
    MkDocs' get_relative_url gives it."""
    here = page_url.rsplit("/", 1)[0] if "/" in page_url else ""
    rel = posixpath.relpath("/" + target, "/" + here)
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


def add_download_links(markdown: str, page_url: str, root: Path, lang: str) -> str:
    """Under each ``[[data:NAME]]`` line of a published table, its CSV and JSON links (added
    before ``render_tables`` replaces the markers)."""
    if "[[data:" not in markdown:
        return markdown
    label = escape(strings_for(str(root), lang)["download"])

    def add_links(match):
        name = match.group("name")
        if name not in opendata.TABLES:
            return match.group(0)
        links = opendata.download_links(name, page_url, label, relative_url)
        return f"{match.group(0).rstrip()}\n\n{links}\n"

    return datatables.MARKER.sub(add_links, markdown)


def add_feed_link(markdown: str, page: str, page_url: str, root: Path, lang: str, default: str):
    """A "Subscribe" link under the changelog's title (raw HTML: the feed is not a page);
    ``page`` is the source path in its language folder."""
    if page != feed.CHANGELOG:
        return markdown
    text = strings_for(str(root), lang)["feed"]["subscribe"]
    prefix = "" if lang == default else f"{lang}/"
    href = relative_url(prefix + feed.FEED_FILE, page_url)
    link = f'<p class="guide-feed"><a href="{href}" type="application/atom+xml">{text}</a></p>'
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            lines[i + 1 : i + 1] = ["", link]
            break
    return "\n".join(lines)


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


def prerender(project: Project) -> Prerendered:
    """Apply the page transforms in place to every page of a copy of the sources, in its
    language (its folder), keeping each front matter. For engines that run no hooks."""
    result = Prerendered()
    root = project.root
    bib, problems = bibliography.load_checked(root)
    result.problems += problems
    entries, problems = glossary.load(root)
    result.problems += problems
    for lang in project.languages:
        strings = strings_for(str(root), lang)
        sources = {}
        for page, path in project.pages(lang).items():
            source = read_source(path, project.rel(path))
            result.problems += [source.problem] if source.problem else []
            if source.text is not None:
                sources[page] = source.text
        for page, text in sources.items():
            file = project.rel(project.lang_dir(lang) / page)
            try:
                fm = frontmatter.split(text, file)
            except SourceError as exc:
                result.problems += exc.problems
                continue
            url = project.url_of(lang, page)
            body = add_feed_link(fm.body, page, url, root, lang, project.default)
            body = translation_status.render(body, project, lang)
            body = add_download_links(body, url, root, lang)
            body, problems = render_tables(body, root, lang, file, bib)
            result.problems += problems
            if bib is not None:
                body, _, problems = citations.render(
                    body, bib, file, lang, strings, first_line=fm.body_line
                )
                result.problems += problems
                if citations.BIBLIOGRAPHY_MARKER in body:
                    body = body.replace(
                        citations.BIBLIOGRAPHY_MARKER,
                        bibliography_html(project, page, lang, bib, strings, sources),
                    )
            body = add_glossary(body, entries or [], lang)
            head = text[: len(text) - len(fm.body)]
            (project.lang_dir(lang) / page).write_text(head + body, encoding="utf-8")
            result.pages += 1
    return result


def bibliography_html(
    project: Project, here: str, lang: str, bib, strings, sources: dict | None = None
) -> str:
    """The References page's list (for the page ``here`` in ``lang``'s folder), each work with
    the pages of this language citing it; ``sources`` (page -> text) are read when not given."""
    if sources is None:
        sources = {}
        for page, path in project.pages(lang).items():
            text = read_source(path, project.rel(path)).text
            if text is not None:  # unreadable: reported at its line by the build
                sources[page] = text
    cited_on: dict[str, list[tuple[str, str]]] = {}
    base = project.url_of(project.default, here) or "."
    # In URL order, as the site's navigation lists them (a section's index before its pages).
    for page in sorted(sources, key=lambda p: project.url_of(project.default, p)):
        text = sources[page]
        try:
            title = frontmatter.split(text, page).meta.get("title") or page
        except SourceError:
            title = page
        url = posixpath.relpath(project.url_of(project.default, page) or ".", base) + "/"
        for key in cited_keys(text, project.root):
            cited_on.setdefault(key, []).append((str(title), url))
    return citations.bibliography_page(bib, cited_on, lang, strings, strings["topics"])
