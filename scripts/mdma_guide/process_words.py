"""Research-process wording that must never reach readers (rule ``process-words``).

Editors keep notes on what they checked and where ("seen only in a stored copy", "second
pass", a repository name). Those notes belong in fields that are never rendered: the
bibliography's ``verified``, the legal-status data's ``notes``. This check reads the visible
text of every built page, in every language, and reports each listed word or phrase it
finds, with the page and, when it can find it, the source that wrote it: the Markdown page
or a data file, and the line.

The lists are in ``docs/data/process-words.yaml`` (schema beside the other data schemas):
``all`` applies to every language, each language's own list to its pages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator
from selectolax.lexbor import LexborHTMLParser

from .errors import Problem, SourceError
from .project import Project
from .yamlio import load_yaml_file, strip_lines

WORDS_FILE = "docs/data/process-words.yaml"
SCHEMA_FILE = "docs/data/schemas/process-words.schema.json"
RULE = "process-words"
# Elements whose text a reader never sees.
INVISIBLE = ["script", "style", "noscript", "template", "svg"]
# Data files that pages render; searched for the source of a hit after the page itself.
DATA_SOURCES = ("docs/data", "docs/references.yaml")


@dataclass(frozen=True)
class Phrase:
    text: str
    pattern: re.Pattern

    @property
    def needle(self) -> str:
        """The longest word, lower case: a fast test before the slower whole-word search."""
        return max(self.text.split(), key=len).casefold()


def _pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


def load(root: Path) -> tuple[dict[str, list[Phrase]], set[tuple[str, str]], list[Problem]]:
    """Phrases by language ('all' for every language), allowed (page, phrase) pairs, problems."""
    if not (Path(root) / WORDS_FILE).is_file():
        return {}, set(), []  # a project without a list has nothing to check
    try:
        data = strip_lines(load_yaml_file(Path(root) / WORDS_FILE, WORDS_FILE))
    except SourceError as exc:
        return {}, set(), exc.problems
    schema = json.loads((Path(root) / SCHEMA_FILE).read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(data))
    if errors:
        return (
            {},
            set(),
            [Problem(WORDS_FILE, None, f"schema: {e.message}", rule=RULE) for e in errors],
        )
    phrases = {
        lang: [Phrase(p, _pattern(p)) for p in items]
        for lang, items in data.items()
        if lang != "allowed"
    }
    allowed = {(a["page"], a["phrase"].casefold()) for a in data.get("allowed") or []}
    return phrases, allowed, []


def visible_text(html: str) -> str:
    """The text of a page's body as a reader sees it (no scripts, styles or hidden markup)."""
    tree = LexborHTMLParser(html)
    tree.strip_tags(INVISIBLE)
    for node in tree.css("[hidden], [aria-hidden='true']"):
        node.decompose()
    body = tree.body
    return body.text(separator=" ") if body is not None else ""


def _source_line(text: str, pattern: re.Pattern) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.search(line):
            return number
    return None


def _data_files(root: Path) -> list[Path]:
    files = []
    for rel in DATA_SOURCES:
        path = root / rel
        files += sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    return [f for f in files if f.is_file() and f.name != Path(WORDS_FILE).name]


def _matching_lines(path: Path, pattern: re.Pattern, skip_notes: bool) -> list[int]:
    """Lines of a source file where a phrase occurs, outside comments and, in data files,
    outside ``verified`` and ``notes`` fields (never rendered, so not what a reader saw)."""
    lines, in_note = [], False
    for number, line in enumerate(
        path.read_text(encoding="utf-8", errors="replace").split("\n"), start=1
    ):
        if skip_notes:
            key = re.match(r"^\s*-?\s*([A-Za-z_-]+):", line)
            if key:
                in_note = key.group(1) in ("verified", "notes")
            elif line and not line.startswith(" "):
                in_note = False
            if in_note or line.lstrip().startswith("#"):
                continue
        if pattern.search(line):
            lines.append(number)
    return lines


def locate(root: Path, markdown: Path | None, pattern: re.Pattern) -> list[tuple[str, int | None]]:
    """Where a phrase was written: lines of the page's Markdown, else of the data files."""
    if markdown is not None and markdown.is_file():
        lines = _matching_lines(markdown, pattern, skip_notes=False)
        if lines:
            return [(markdown.relative_to(root).as_posix(), n) for n in lines]
    found = [
        (path.relative_to(root).as_posix(), n)
        for path in _data_files(root)
        for n in _matching_lines(path, pattern, skip_notes=True)
    ]
    if found:
        return found
    if markdown is not None:
        return [(markdown.relative_to(root).as_posix(), None)]
    return [("(built page)", None)]


def _pages(project: Project, site: Path):
    """(language, site-relative URL, built HTML file, Markdown source or None) per page."""
    sources = {}
    for lang in project.languages:
        for page, path in project.pages(lang).items():
            sources[project.url_of(lang, page)] = (lang, path)
    others = [lang for lang in project.languages if lang != project.default]
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        if url in sources:
            lang, md = sources[url]
        else:
            first = url.split("/", 1)[0]
            lang, md = (first if first in others else project.default), None
        yield lang, url, html, md


def _base(url: str, project: Project) -> str:
    """A page's URL without its language prefix: 'es/about/' -> 'about/'."""
    first, _, rest = url.partition("/")
    return rest if first in project.languages and first != project.default else url


def check(project: Project, site: Path) -> list[Problem]:
    """One problem per phrase per source line that wrote it (or per page, if no source)."""
    phrases, allowed, problems = load(project.root)
    if not phrases:
        return problems
    for lang, url, html, md in _pages(project, site):
        try:
            text = visible_text(html.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        lowered = text.casefold()
        for phrase in phrases.get("all", []) + phrases.get(lang, []):
            if phrase.needle not in lowered:
                continue
            if (_base(url, project), phrase.text.casefold()) in allowed:
                continue
            found = phrase.pattern.search(text)
            if not found:
                continue
            context = " ".join(text[max(0, found.start() - 40) : found.end() + 40].split())
            for file, line in locate(project.root, md, phrase.pattern):
                problems.append(
                    Problem(
                        file,
                        line,
                        f"research-process wording '{phrase.text}' is visible to readers on "
                        f"/{url} (…{context}…); say it as a reader sentence, or move the note "
                        "to a field that is not rendered",
                        rule=RULE,
                        target=f"/{url}",
                    )
                )
    return problems
