"""Finishing steps over a built site, whatever built it (issue #21). Each step leaves what
already has what it adds unchanged, so the whole can run after MkDocs (whose hooks call
``finish`` once, after the last language's build) or alone after another engine (job C,
scripts/engines.py):

- ``feeds``: an Atom feed of each language's changelog (``<lang>/feed.xml``, mdma_guide.feed);
- ``open-data``: the data tables as CSV, JSON and datapackage.json under ``/data/``;
- ``search``: Material's one index of all languages split into one per language, each tuned
  (stemmer, weights, the pages' keywords and the glossary's synonyms: mdma_guide.search);
- ``sitemap``: an x-default alternate for every URL, and a copy in each language root (Material
  fetches it from the page's search base);
- ``pages``: in every page's head, the Content-Security-Policy meta, absolute hreflang
  alternates with x-default, and the feed's link.

    python scripts/postbuild.py SITE [--site-url URL]
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from . import bibliography, datatables, feed, frontmatter, glossary, opendata, search, terminology
from .csp import with_csp
from .errors import Problem, SourceError
from .multilingual import (
    hreflang_links,
    prefix,
    sitemap_with_x_default,
    split_search_index,
    strip_prefix,
)
from .project import Project, site_names_of
from .sources import read_source
from .strings import long_date, strings_for

STEPS = ("feeds", "open-data", "search", "sitemap", "pages")

CSP_META = 'http-equiv="Content-Security-Policy"'
HREFLANG = re.compile(r"<link\b[^>]*\bhreflang=")
CHARSET = '<meta charset="utf-8">'  # the alternates go right after it
FEED_LINK = 'type="application/atom+xml"'


@dataclass
class Result:
    pages: int = 0
    csp: int = 0  # pages given the policy
    hreflang: int = 0  # pages given alternates
    feed_links: int = 0  # pages given the feed's link
    written: list[str] = field(default_factory=list)  # other files written or rewritten
    skipped: list[str] = field(default_factory=list)  # pages that could not be read
    problems: list[Problem] = field(default_factory=list)  # of the data files (open data)

    def summary(self) -> str:
        """One line: what the run added or wrote."""
        written = ", ".join(self.written[:8]) + (", …" if len(self.written) > 8 else "")
        return (
            f"{self.pages} pages: CSP added to {self.csp}, hreflang added to {self.hreflang}, "
            f"feed link added to {self.feed_links}; {len(self.written)} other files written"
            + (f" ({written})" if self.written else "")
            + (f"; unreadable: {', '.join(self.skipped)}" if self.skipped else "")
        )


def source_of(page: str) -> list[str]:
    """The Markdown sources a built page (relative to its language root) can come from."""
    if page == "index.html":
        return ["index.md", "README.md"]
    folder = page.removesuffix("index.html").rstrip("/")
    return [f"{folder}/index.md", f"{folder}.md", f"{folder}/README.md"]


def language_of(rel: str, languages: list[str], default: str) -> tuple[str, str]:
    """(language, page relative to the language root) of a built file."""
    first, _, rest = rel.partition("/")
    if first in languages and first != default and rest:
        return first, rest
    return default, rel


def alternates_html(links: list[tuple[str, str]]) -> str:
    # " alternate": the theme's exact [rel=alternate] lookup must not fetch these (main.html).
    return "".join(
        f'\n  <link rel=" alternate" href="{href}" hreflang="{code}">' for code, href in links
    )


def _write(site: Path, rel: str, text: str, result: Result) -> None:
    """Write a file unless it already holds exactly ``text``."""
    path = site / rel
    try:
        if path.is_file() and path.read_bytes() == text.encode("utf-8"):
            return  # (bytes: a CSV's CRLF line ends must not be read as LF)
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    result.written.append(rel)


def feeds(site: Path, project: Project, site_url: str, names: dict, result: Result) -> None:
    for lang in project.languages:
        site_name = names.get(lang, names[""])
        source = project.lang_dir(lang) / feed.CHANGELOG
        if not source.is_file():
            continue  # no changelog, no feed
        changelog = read_source(source, project.rel(source)).text
        if changelog is None:
            continue  # unreadable: reported at its file and line by the build and the checker
        strings = strings_for(str(project.root), lang)["feed"]
        base = site_url.rstrip("/") + "/" + prefix(lang, project.default)
        text = feed.build(
            changelog,
            lang=lang,
            base=base,
            site_name=site_name,
            feed_title=strings["title"].format(site=site_name),
            entry_title=lambda date, lang=lang, s=strings: s["entry"].format(
                date=long_date(date, lang)
            ),
        )
        _write(site, prefix(lang, project.default) + feed.FEED_FILE, text, result)


def open_data(site: Path, project: Project, site_url: str, result: Result) -> None:
    if not (project.root / datatables.DATA_DIR).is_dir():
        return  # a project without data tables
    try:
        bib = bibliography.load(project.root)
    except SourceError:
        bib = None  # the bibliography's problems are reported by the build and the checker
    files, problems = opendata.build(project.root, site_url, bib, project.languages)
    result.problems += problems
    for name, text in files.items():
        _write(site, f"{opendata.OUT_DIR}/{name}", text, result)


def _declared_keywords(project: Project, lang: str) -> dict[str, list[str]]:
    """Page location (relative to its language root) -> its front matter search_keywords."""
    declared = {}
    for page, path in project.pages(lang).items():
        text = read_source(path, project.rel(path)).text
        try:
            meta = frontmatter.split(text, project.rel(path)).meta if text else {}
        except SourceError:
            continue  # reported at its line by the build and the checker
        if isinstance(meta.get("search_keywords"), list):
            url = project.url_of(lang, page)
            declared[strip_prefix(url, list(project.languages), project.default)[1]] = meta[
                "search_keywords"
            ]
    return declared


def search_indexes(site: Path, project: Project, result: Result) -> None:
    """Split a combined index (locations of several languages) into one per language root;
    tune each language's index that is not tuned yet."""
    languages, default = list(project.languages), project.default
    combined = site / "search" / "search_index.json"
    if not combined.is_file():
        return
    index = json.loads(combined.read_text(encoding="utf-8"))
    mixed = any(
        strip_prefix(doc.get("location", ""), languages, default)[0] != default
        for doc in index.get("docs", [])
    )
    if mixed:
        parts = split_search_index(index, languages, default)
    else:
        parts = {}
        for code in languages:
            path = site / prefix(code, default) / "search" / "search_index.json"
            if path.is_file():
                part = json.loads(path.read_text(encoding="utf-8"))
                if part.get("config", {}).get("pipeline") != search.PIPELINE:
                    parts[code] = part
    if not parts:
        return
    entries, _ = glossary.load(project.root)  # problems are reported by the build
    variants, _ = terminology.load(project.root)
    for code, part in parts.items():
        groups = search.synonym_groups(entries, variants, code)
        search.tune_index(part, _declared_keywords(project, code), groups)
        text = json.dumps(part, ensure_ascii=False, separators=(",", ":"))
        _write(site, f"{prefix(code, default)}search/search_index.json", text, result)


def sitemap(site: Path, project: Project, result: Result) -> None:
    path = site / "sitemap.xml"
    if not path.is_file():
        return
    text = sitemap_with_x_default(path.read_text(encoding="utf-8"), project.default)
    _write(site, "sitemap.xml", text, result)
    gz = site / "sitemap.xml.gz"
    if gz.exists():
        gz.unlink()  # stale after the rewrite; the plain sitemap is authoritative
        result.written.append("sitemap.xml.gz (removed)")
    for code in project.languages:
        if code != project.default and (site / code).is_dir():
            _write(site, f"{code}/sitemap.xml", text, result)


def _feed_link(project: Project, lang: str, rel: str, names: dict) -> str:
    site_name = names.get(lang, names[""])
    source = project.lang_dir(lang) / feed.CHANGELOG
    if not source.is_file():
        return ""
    title = strings_for(str(project.root), lang)["feed"]["title"].format(site=site_name)
    target = prefix(lang, project.default) + feed.FEED_FILE
    href = posixpath.relpath(target, posixpath.dirname(rel) or ".")
    return f'\n  <link rel=" alternate" {FEED_LINK} href="{escape(href)}" title="{escape(title)}">'


def pages(site: Path, project: Project, site_url: str, names: dict, result: Result) -> None:
    languages, default = list(project.languages), project.default
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        try:
            html = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            result.skipped.append(rel)
            continue
        result.pages += 1
        new = html
        lang, page = language_of(rel, languages, default)
        if page != "404.html" and not HREFLANG.search(new) and CHARSET in new:
            translated = [
                code
                for code in languages
                if any((project.lang_dir(code) / src).is_file() for src in source_of(page))
            ]
            if translated:
                url_path = page.removesuffix("index.html")
                links = alternates_html(hreflang_links(site_url, url_path, translated, default))
                new = new.replace(CHARSET, CHARSET + links, 1)
                result.hreflang += new != html
        if page != "404.html" and FEED_LINK not in new and CHARSET in new:
            link = _feed_link(project, lang, rel, names)
            if link:
                new = new.replace(CHARSET, CHARSET + link, 1)
                result.feed_links += 1
        if CSP_META not in new:
            new = with_csp(new)  # last: the policy hashes the page's inline scripts
            result.csp += CSP_META in new
        if new != html:
            path.write_text(new, encoding="utf-8")


def finish(
    site: Path,
    project: Project,
    site_url: str,
    steps: tuple[str, ...] = STEPS,
) -> Result:
    """Run ``steps`` (all by default) over ``site``; whatever is already there is kept.
    Each language's site name comes from mkdocs.yml."""
    result = Result()
    names = site_names_of(project.root)
    if "feeds" in steps:
        feeds(site, project, site_url, names, result)
    if "open-data" in steps:
        open_data(site, project, site_url, result)
    if "search" in steps:
        search_indexes(site, project, result)
    if "sitemap" in steps:
        sitemap(site, project, result)
    if "pages" in steps:
        pages(site, project, site_url, names, result)
    return result
