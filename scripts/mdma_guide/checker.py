"""The offline checks of ``scripts/check_site.py``.

Each function returns Problems (rule, severity, file, line, message, target) and never
raises on bad input: malformed YAML, front matter, bibliography, HTML or encodings become
findings. Links are checked against the built site, in every language, and reported at the
Markdown line that wrote them, or at the data file or template that produced them.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from selectolax.lexbor import LexborHTMLParser

from . import bibliography, citations, datatables, frontmatter, glossary, registry_staleness
from .errors import Problem, SourceError
from .list_dates import check_list_dates  # noqa: F401 (a rule of its own module)
from .project import Project, content_hash
from .sources import SourceText, read_source, skipped_links
from .strings import load_strings
from .yamlio import load_yaml_file

HEADING_ANCHOR = re.compile(r"^(#{1,6})\s.*\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
MD_LINK = re.compile(
    r"(?<![\\`])!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?(?P<target>[^)\s>]+)>?"
    r"(?:\s+\"[^\"]*\")?\s*\)"
)
MD_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(\s|$)")
HTML_ATTR = re.compile(r"\b(?:href|src)=\"(?P<target>[^\"]+)\"")
FENCE = re.compile(r"^\s*(```|~~~)")


def read_text(path: Path, rel: str) -> SourceText:
    """The page's text, or a problem at the line that makes it unreadable (sources.py)."""
    return read_source(path, rel)


def iter_lines_outside_code(text: str):
    """(line number, line) for lines outside fenced code, with inline code blanked."""
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield number, re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line)


# 0. Source files ------------------------------------------------------------------------


def check_files(project: Project) -> list[Problem]:
    """Symbolic links under docs/ that the build does not follow (loops, escapes)."""
    return skipped_links(project.docs, project.root)


# 4. Front matter -------------------------------------------------------------------------


def check_front_matter(project: Project, fail_overdue: bool, today: dt.date) -> list[Problem]:
    problems = []
    for lang in project.languages:
        for path in project.pages(lang).values():
            rel = project.rel(path)
            source = read_text(path, rel)
            if source.problem:
                problems.append(source.problem)
                continue
            _, found = frontmatter.read_and_validate(source.text, rel, today)
            for problem in found:
                if problem.rule == "review-overdue" and fail_overdue:
                    problem = Problem(
                        problem.file, problem.line, problem.message, problem.rule, "error"
                    )
                problems.append(problem)
    return problems


# 3. Citations and 5. data files ----------------------------------------------------------


def load_bibliography(project: Project) -> tuple[bibliography.Bibliography | None, list]:
    rel = bibliography.BIB_FILE
    try:
        raw = load_yaml_file(project.root / rel, rel)
    except SourceError as exc:
        return None, exc.problems
    bib, problems = bibliography.validate(raw, rel)
    return bib, problems


def check_citations(project: Project, bib, strings: dict) -> list[Problem]:
    problems: list[Problem] = []
    used: set[str] = set()
    for lang in project.languages:
        for path in project.pages(lang).values():
            rel = project.rel(path)
            source = read_text(path, rel)
            if source.text is None:
                continue
            try:
                fm = frontmatter.split(source.text, rel)
            except SourceError:
                continue  # reported by the front-matter check
            used.update(citations.keys_in(fm.body))
            if bib is None:
                continue
            _, _, found = citations.render(
                fm.body,
                bib,
                rel,
                lang,
                strings.get(lang, strings["en"]),
                fm.body_line,
                with_list=False,
            )
            problems += found
    for name in datatables.TABLES:
        rows, _ = datatables.load(project.root, name)
        used.update(datatables.keys_of(rows, name))
    if bib is not None:
        for key in bib.entries:
            if key not in used:
                problems.append(
                    Problem(
                        bib.file,
                        bib.lines.get(key),
                        f"entry '{key}' is not cited anywhere",
                        rule="citation-unused",
                        severity="warning",
                    )
                )
    return problems


def check_data(project: Project, bib) -> list[Problem]:
    problems = []
    for name in datatables.TABLES:
        path, rel = datatables.data_path(project.root, name)
        if path.exists():
            problems += datatables.load(project.root, name, bib)[1]
    known = (*datatables.TABLES, "strings", "glossary", "terminology", "process-words")
    for path in sorted((project.docs / "data").glob("*.yaml")):
        if path.stem not in known:
            problems.append(
                Problem(
                    project.rel(path),
                    None,
                    "data file without a schema or a renderer",
                    rule="data",
                    severity="warning",
                )
            )
    problems += glossary.load(project.root)[1]
    try:
        load_strings.cache_clear()
        load_strings(str(project.root))
    except SourceError as exc:
        problems += exc.problems
    return problems


def check_registry_staleness(project: Project, bib, watch_result: Path | None) -> list[Problem]:
    """Pages reviewed before a trial they cite changed on the registry (the watch's result)."""
    return registry_staleness.check(project, bib, watch_result)


# 2. Translations -------------------------------------------------------------------------


def anchors_in(text: str) -> dict[str, int]:
    return {
        m.group("id"): n
        for n, line in iter_lines_outside_code(text)
        if (m := HEADING_ANCHOR.match(line))
    }


def check_translations(project: Project) -> list[Problem]:
    problems = []
    english = project.pages(project.default)
    for lang in project.languages[1:]:
        translated = project.pages(lang)
        for page, path in translated.items():
            rel = project.rel(path)
            if page not in english:
                problems.append(
                    Problem(
                        rel,
                        None,
                        f"translation has no English page docs/{project.default}/{page}",
                        rule="translation-orphaned",
                    )
                )
        for page, en_path in english.items():
            en_text = read_text(en_path, project.rel(en_path)).text
            if en_text is None:
                continue
            if page not in translated:
                problems.append(
                    Problem(
                        project.rel(en_path),
                        None,
                        f"no {lang} translation (readers get the English page with a notice)",
                        rule="translation-missing",
                        severity="warning",
                        target=f"docs/{lang}/{page}",
                    )
                )
                continue
            path = translated[page]
            rel = project.rel(path)
            text = read_text(path, rel).text
            if text is None:
                continue
            mine = anchors_in(text)
            for anchor, line in anchors_in(en_text).items():
                if anchor not in mine:
                    problems.append(
                        Problem(
                            rel,
                            None,
                            f"heading anchor '#{anchor}' of the "
                            f"English page (line {line}) is missing, so deep "
                            "links break in this language",
                            rule="translation-anchor",
                            target=f"#{anchor}",
                        )
                    )
            problems += _citation_parity(en_text, text, project.rel(en_path), rel)
            try:
                fm = frontmatter.split(text, rel)
            except SourceError:
                continue
            recorded = fm.meta.get("translated_from")
            current = content_hash(en_text)
            if not recorded:
                problems.append(
                    Problem(
                        rel,
                        1,
                        f"no 'translated_from' in front matter (the English version is {current})",
                        rule="translation-unversioned",
                        severity="warning",
                    )
                )
            elif recorded != current:
                problems.append(
                    Problem(
                        rel,
                        fm.lines.get("translated_from", 1),
                        f"stale: the English page changed since this "
                        f"translation ({recorded} -> {current})",
                        rule="translation-stale",
                        severity="warning",
                    )
                )
    return problems


def _cited_lines(text: str) -> dict[str, int]:
    """Each cited key with the line of its first citation."""
    found: dict[str, int] = {}
    for number, match in citations.scan(text):
        for item in citations.ITEM.finditer(match["body"]):
            found.setdefault(item.group("key"), number)
    return found


def _citation_parity(en_text: str, text: str, en_rel: str, rel: str) -> list[Problem]:
    """A translation cites what its English page cites, no more and no less: a dropped
    citation leaves a claim unsourced in one language, an extra one sources a claim the
    English page does not make."""
    english, mine = _cited_lines(en_text), _cited_lines(text)
    dropped = [
        (None, f"does not cite @{key}, which the English page cites ({en_rel}:{line})", key)
        for key, line in english.items()
        if key not in mine
    ]
    added = [
        (line, f"cites @{key}, which the English page ({en_rel}) does not cite", key)
        for key, line in mine.items()
        if key not in english
    ]
    return [
        Problem(rel, line, message, rule="translation-citations", target=f"@{key}")
        for line, message, key in dropped + added
    ]


# 1. Internal links -------------------------------------------------------------------------


class SiteIndex:
    """The built site: which files exist, and each page parsed once (ids, links)."""

    def __init__(self, site: Path):
        self.site = site
        self.files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
        self._trees: dict[str, LexborHTMLParser | None] = {}
        self._ids: dict[str, set[str]] = {}

    def resolve(self, url_path: str) -> str | None:
        """The site file a site-relative URL path serves, or None."""
        rel = posixpath.normpath(url_path.lstrip("/")) if url_path.strip("/") else ""
        if rel == ".":
            rel = ""
        if rel.startswith(".."):
            return None
        if rel in self.files:
            return rel
        index = f"{rel}/index.html" if rel else "index.html"
        return index if index in self.files else None

    def tree(self, rel: str) -> LexborHTMLParser | None:
        if rel not in self._trees:
            try:
                text = (self.site / rel).read_text(encoding="utf-8", errors="replace")
                self._trees[rel] = LexborHTMLParser(text)
            except (OSError, ValueError):
                self._trees[rel] = None
        return self._trees[rel]

    def ids(self, rel: str) -> set[str]:
        if rel not in self._ids:
            tree = self.tree(rel)
            found: set[str] = set()
            if tree is not None:
                found = {n.attributes.get("id") for n in tree.css("[id]")}
                found |= {n.attributes.get("name") for n in tree.css("a[name]")}
            self._ids[rel] = {i for i in found if i}
        return self._ids[rel]


# A URL scheme as urlsplit reads one (RFC 3986: letter, then letters, digits, "+", "-", ".").
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _is_external(target: str) -> bool:
    """True for "https://…", "mailto:…", "//host/…": anything not a path on this site."""
    return target.startswith("//") or _SCHEME.match(target.lstrip()) is not None


def check_markdown_links(project: Project, index: SiteIndex) -> tuple[list[Problem], set]:
    """Links as written in Markdown, resolved the way MkDocs resolves them."""
    problems, covered = [], set()
    for lang in project.languages:
        lang_pages = project.pages(lang)
        for page, path in lang_pages.items():
            rel = project.rel(path)
            text = read_text(path, rel).text
            if text is None:
                continue
            page_url = project.url_of(lang, page)
            for number, line in iter_lines_outside_code(text):
                targets = [m.group("target") for m in MD_LINK.finditer(line)]
                targets += [m.group("target") for m in HTML_ATTR.finditer(line)]
                if m := MD_REFDEF.match(line):
                    targets.append(m.group("target"))
                for target in targets:
                    if _is_external(target) or target.startswith(("mailto:", "tel:")):
                        continue
                    problem, url = _check_md_target(
                        project, index, lang, page, page_url, target, rel, number
                    )
                    covered.add((page_url, url))
                    covered.add((page_url, target))  # MkDocs leaves a broken link as written
                    if problem:
                        problems.append(problem)
    return problems, covered


def _check_md_target(project, index, lang, page, page_url, target, rel, number):
    raw_path, _, fragment = target.partition("#")
    raw_path = unquote(raw_path)
    if not raw_path:
        url = page_url
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), raw_path))
        if joined.startswith(".."):
            return Problem(
                rel,
                number,
                f"link '{target}' leaves the docs folder",
                rule="link-internal",
                target=target,
            ), None
        if joined.endswith(".md"):
            exists = (project.lang_dir(lang) / joined).is_file() or (
                project.lang_dir(project.default) / joined
            ).is_file()
            if not exists:
                return Problem(
                    rel,
                    number,
                    f"link to a page that does not exist: '{target}'",
                    rule="link-internal",
                    target=target,
                ), None
            url = project.url_of(lang, joined)
        else:
            prefix = "" if lang == project.default else f"{lang}/"
            url = prefix + joined
    built = index.resolve(url)
    if built is None:
        return Problem(
            rel,
            number,
            f"link target is not in the built site: '{target}'",
            rule="link-internal",
            target=target,
        ), url
    if fragment and fragment not in index.ids(built):
        return Problem(
            rel,
            number,
            f"anchor '#{fragment}' does not exist on '{raw_path or 'this page'}'",
            rule="link-anchor",
            target=target,
        ), url
    return None, url


LINK_SELECTORS = (
    ("a[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("link[href]", "href"),
    ("source[src]", "src"),
)


def check_html_links(project: Project, index: SiteIndex, covered: set) -> list[Problem]:
    """Links in the built HTML that Markdown did not write: templates, data, citations."""
    problems = []
    sources = {}
    english_url = {}  # a fallback copy's URL -> its English page's URL
    for lang in project.languages:
        for page, path in project.pages(project.default).items():
            own = project.lang_dir(lang) / page
            sources[project.url_of(lang, page)] = own if own.exists() else path
            if not own.exists():
                english_url[project.url_of(lang, page)] = project.url_of(project.default, page)
    reported = set()  # (producer, target): a fallback copy repeats the English page's links
    for rel in sorted(f for f in index.files if f.endswith(".html")):
        page_url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        tree = index.tree(rel)
        if tree is None:
            problems.append(Problem(rel, None, "cannot read or parse this HTML file", rule="html"))
            continue
        base = posixpath.dirname(page_url) if page_url.endswith(".html") else page_url.rstrip("/")
        links = {}  # each distinct target once per page, with the first node that has it
        for selector, attr in LINK_SELECTORS:
            for node in tree.css(selector):
                target = node.attributes.get(attr) or ""
                if target and target not in links:
                    links[target] = node
        for target, node in links.items():
            if _is_external(target):  # other sites, mailto:, data:, javascript:
                continue
            raw_path, _, fragment = target.partition("#")
            url = (
                posixpath.normpath(posixpath.join(base, unquote(raw_path)))
                if raw_path
                else page_url
            )
            url = "" if url == "." else url
            if raw_path.startswith("/"):
                url = unquote(raw_path).lstrip("/")
            if {
                (page_url, url.rstrip("/") + "/"),
                (page_url, url),
                (page_url, target),
            } & covered:
                continue
            if (english_url.get(page_url), target) in covered:
                continue  # written in the English Markdown: checked (and reported) there
            built = index.resolve(url)
            problem = None
            if built is None:
                problem = f"link target is not in the built site: '{target}'"
            elif fragment and fragment not in index.ids(built):
                problem = f"anchor '#{fragment}' does not exist on '{raw_path or 'page'}'"
            producer = _producer(project, node, sources.get(page_url), page_url)
            if problem and (producer, target) not in reported:
                reported.add((producer, target))
                problems.append(
                    Problem(
                        producer,
                        None,
                        f"{problem} (on page /{page_url})",
                        rule="link-internal" if built is None else "link-anchor",
                        target=target,
                    )
                )
    return problems


def _producer(project: Project, node, source: Path | None, page_url: str) -> str:
    """The file that produced an HTML link: data file, bibliography, page or template."""
    parent = node.parent
    while parent is not None:
        classes = (parent.attributes.get("class") or "").split()
        if "data-table-wrapper" in classes:
            name = (
                (parent.attributes.get("id") or "").removeprefix("table-").removesuffix("-wrapper")
            )
            return f"docs/data/{name}.yaml"
        if "references" in classes or "bibliography" in classes:
            return bibliography.BIB_FILE
        if parent.tag == "article" and source is not None:
            return project.rel(source)
        parent = parent.parent
    return "overrides/ (theme templates)"
