"""The one bibliography: loading, validation and formatting of entries.

``docs/references.yaml`` is CSL-YAML (what Zotero and Pandoc read and write) plus the
guide's own fields: ``topic`` (groups the References page), ``verified`` (how an editor
confirmed the identifiers), ``checked-on`` (``copy`` when an identifier was seen only on a
copy of the record; readers see it), ``authors-truncated``, and ``status``/``status-date``/
``status-notice`` for retracted, withdrawn or corrected works.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

import jsonschema
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as csl_formatter
from citeproc.source.json import CiteProcJSON

from . import citeproc_fixes
from .errors import Problem, SourceError
from .strings import locale_settings, long_date
from .yamlio import line_of, load_yaml_file, strip_lines

BIB_FILE = "docs/references.yaml"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs/data/schemas/references.schema.json"
# AMA, with a <locale> block of terms per language (see the comment at the top of the file).
# Each language's citeproc-py locale and "et al" are in docs/data/strings.yaml (locale).
STYLE = Path(__file__).resolve().parent / "csl" / "american-medical-association.csl"
BLOCKING = ("retracted", "withdrawn")  # cited only knowingly, with {.retracted}
ET_AL = "ETALPLACEHOLDER"
GUIDE_FIELDS = (
    "topic",
    "verified",
    "checked-on",
    "authors-truncated",
    "status",
    "status-date",
    "status-notice",
    "note",
)


@dataclass
class Bibliography:
    entries: dict[str, dict]
    lines: dict[str, int] = field(default_factory=dict)
    file: str = BIB_FILE

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def __getitem__(self, key: str) -> dict:
        return self.entries[key]


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def entry_validator(schema: dict) -> jsonschema.Draft202012Validator:
    """A validator for one item of a list schema whose items are ``#/$defs/entry``."""
    one = {k: v for k, v in schema.items() if k not in ("type", "items")}
    one["$ref"] = "#/$defs/entry"
    return jsonschema.Draft202012Validator(
        one, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate(raw, file: str = BIB_FILE) -> tuple[Bibliography | None, list[Problem]]:
    """Check the parsed YAML (with ``__line__`` marks); returns the bibliography and problems."""
    problems: list[Problem] = []
    if not isinstance(raw, list):
        return None, [
            Problem(file, 1, "the bibliography must be a YAML list of entries", rule="bibliography")
        ]
    validator = entry_validator(_schema())
    entries: dict[str, dict] = {}
    lines: dict[str, int] = {}
    seen_ids: dict[str, dict[str, str]] = {"DOI": {}, "PMID": {}, "PMCID": {}}
    previous = None
    for item in raw:
        line = item.get("__line__") if isinstance(item, dict) else None
        entry = strip_lines(item)
        key = entry.get("id") if isinstance(entry, dict) else None
        label = f"entry '{key}'" if key else "an entry"
        for error in sorted(validator.iter_errors(entry), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in error.path)
            message = f"{label}: {where + ': ' if where else ''}{_explain(error)}"
            problems.append(
                Problem(file, line_of(item, error.path, line), message, rule="bibliography")
            )
        if not isinstance(entry, dict) or not isinstance(key, str):
            continue
        if key in entries:
            problems.append(
                Problem(
                    file,
                    line_of(item, ["id"], line),
                    f"duplicate id '{key}' (first at line {lines[key]})",
                    rule="bibliography",
                )
            )
            continue
        if previous is not None and key < previous:
            problems.append(
                Problem(
                    file,
                    line,
                    f"entries are not sorted by id: '{key}' comes after '{previous}'",
                    rule="bibliography-order",
                    severity="warning",
                )
            )
        previous = key
        for id_field, seen in seen_ids.items():
            value = str(entry.get(id_field, "")).lower()
            if value:
                if value in seen:
                    problems.append(
                        Problem(
                            file,
                            line_of(item, [id_field], line),
                            f"{id_field} {entry[id_field]} is also "
                            f"entry '{seen[value]}': one work, one key",
                            rule="bibliography-duplicate",
                        )
                    )
                seen[value] = key
        if entry.get("authors-truncated") and not entry.get("author"):
            problems.append(
                Problem(
                    file,
                    line_of(item, ["authors-truncated"], line),
                    f"{label}: 'authors-truncated' needs at least the first author",
                    rule="bibliography",
                )
            )
        entries[key] = entry
        lines[key] = line
    return Bibliography(entries, lines, file), problems


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator == "pattern":
        return f"{error.instance!r} is not a valid value here"
    if error.validator == "anyOf" and not error.path:
        return "needs at least one of DOI, PMID or URL"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    return error.message


def load(root: Path, file: str = BIB_FILE) -> Bibliography:
    """Load and validate; raises SourceError listing every error (warnings are ignored).

    Cached by the file's size and modification time: one language build reads it once,
    and an edit during ``mkdocs serve`` is picked up on the next rebuild."""
    path = root / file
    return _load_cached(str(path), file, _stamp(path))


def _stamp(path: Path) -> tuple[int, int] | None:
    """The file's version for the caches: modification time and size (None if unreadable)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load_cached(path: str, file: str, _stamp) -> Bibliography:
    bib, errors = _load_checked(path, file, _stamp)
    if errors or bib is None:
        raise SourceError(errors)
    return bib


def load_checked(root: Path, file: str = BIB_FILE) -> tuple[Bibliography | None, list[Problem]]:
    """Like ``load``, but never raises: the usable entries (None if the file cannot be
    read at all) and every error, so a build can report them all and go on."""
    path = root / file
    return _load_checked(str(path), file, _stamp(path))


@lru_cache(maxsize=4)
def _load_checked(path: str, file: str, _stamp) -> tuple[Bibliography | None, list[Problem]]:
    try:
        raw = load_yaml_file(Path(path), file)
    except SourceError as exc:
        return None, exc.problems
    bib, problems = validate(raw, file)
    return bib, [p for p in problems if p.severity == "error"]


# Formatting ---------------------------------------------------------------------------


def _csl_entry(entry: dict) -> dict:
    """The entry as citeproc-py needs it: identifiers and the guide's fields removed
    (the guide renders identifiers as links itself), truncated author lists padded so
    the AMA style prints 'et al.' after the first three."""
    dropped = GUIDE_FIELDS + ("DOI", "PMID", "PMCID") + (("URL",) if entry.get("DOI") else ())
    csl = {k: v for k, v in entry.items() if k not in dropped}
    csl["title"] = entry["title"]
    # A site that is its own author ("New Zealand Police. Title. New Zealand Police."):
    # AMA names the organization once.
    names = {str(n.get("literal", "")).casefold() for n in entry.get("author", [])}
    if str(csl.get("container-title", "")).casefold() in names - {""}:
        del csl["container-title"]
    if entry.get("authors-truncated"):
        authors = list(csl.get("author", []))
        if len(authors) >= 3:
            while len(authors) < 7:  # AMA prints the first three, then "et al."
                authors.append({"family": "Unlisted", "given": "A"})
        else:
            authors.append({"literal": ET_AL})  # replaced by the locale's term
        csl["author"] = authors
    return csl


def format_entry(entry: dict, lang: str) -> str:
    """One reference, AMA style, localized; HTML without identifiers."""
    return _format_cached(json.dumps(_csl_entry(entry), sort_keys=True), lang)


@lru_cache(maxsize=4096)
def _format_cached(entry_json: str, lang: str) -> str:
    entry = json.loads(entry_json)
    settings = locale_settings(lang)
    style = _style(settings["citations"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bib = CitationStylesBibliography(style, CiteProcJSON([entry]), csl_formatter.html)
        bib.register(Citation([CitationItem(entry["id"])]))
        text = str(bib.bibliography()[0])
    text = text.replace(ET_AL, settings["et_al"])
    text = citeproc_fixes.collapse_punctuation(re.sub(r"^\s*\d+\.\s*", "", text))
    # The style prints a web address as text: make it a link (it is already HTML-escaped).
    return re.sub(r"(https?://[^\s<]+?)(\.?)(?=\s|$)", r'<a href="\1">\1</a>\2', text)


@lru_cache(maxsize=8)
def _style(locale: str) -> CitationStylesStyle:
    citeproc_fixes.apply()
    return CitationStylesStyle(str(STYLE), locale=locale, validate=False)


def identifier_links(entry: dict) -> str:
    """DOI, PubMed, PMC links (or the official URL when there is no DOI)."""
    links = []
    if entry.get("DOI"):
        doi = entry["DOI"]
        links.append(f'<a href="https://doi.org/{escape(doi, quote=True)}">doi:{escape(doi)}</a>')
    if entry.get("PMID"):
        pmid = entry["PMID"]
        links.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/">PMID: {pmid}</a>')
    if entry.get("PMCID"):
        pmc = entry["PMCID"]
        links.append(f'<a href="https://pmc.ncbi.nlm.nih.gov/articles/{pmc}/">{pmc}</a>')
    return " ".join(links)


def copy_mark(entry: dict, strings: dict) -> str:
    """What the record could not confirm, said next to the identifiers: a journal article
    whose authors we could not confirm (so none are printed, rather than guessed), and
    identifiers seen only on a copy of the record."""
    notes = []
    if entry.get("type") == "article-journal" and not entry.get("author"):
        notes.append(strings.get("authors_not_confirmed", "authors not confirmed"))
    if entry.get("checked-on") == "copy":
        notes.append(strings.get("checked_on_copy", "identifiers checked on a copy of the record"))
    if not notes:
        return ""
    return f' <span class="ref-copy">({escape("; ".join(notes))})</span>'


def status_badge(entry: dict, lang: str, strings: dict) -> str:
    """A visible, accessible label for a retracted, withdrawn or corrected work."""
    status = entry.get("status")
    if not status:
        return ""
    label = strings.get(status, status)
    date = entry.get("status-date")
    if date:
        # Written as the page's prose writes dates (26 November 2026, 26 de noviembre…).
        label = f"{label}, {long_date(dt.date.fromisoformat(str(date)), lang)}"
    text = escape(label)
    if entry.get("status-notice"):
        notice = escape(entry["status-notice"], quote=True)
        text = f'<a href="{notice}" title="{escape(strings.get("notice", "notice"))}">{text}</a>'
    return f'<strong class="status-badge status-badge--{status}">{text}</strong>'
