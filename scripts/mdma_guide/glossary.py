"""The glossary: one data file, shown as the Glossary page and as tooltips on every page.

``docs/data/glossary.yaml`` holds each concept once, with its term, other forms and a
plain definition per language. Pages get Markdown abbreviations (``*[term]: definition``)
for the terms they use, which Material shows as tooltips.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from pathlib import Path

from .errors import Problem
from .records import load_records
from .strings import sort_key

GLOSSARY_FILE = "docs/data/glossary.yaml"
MARKER = "[[glossary]]"


def load(root: Path) -> tuple[list[dict], list[Problem]]:
    """Glossary entries and their problems; no glossary file means no tooltips."""
    path = root / GLOSSARY_FILE
    if not path.exists():
        return [], []
    schema = root / "docs/data/schemas/glossary.schema.json"
    entries, problems = load_records(path, GLOSSARY_FILE, schema)
    for entry in entries:
        entry.pop("__line__", None)
    return entries, problems


def _forms(item: dict) -> list[str]:
    forms = [item["term"], *item.get("aliases", [])]
    out = []
    for form in forms:
        for variant in (form, form[:1].upper() + form[1:]):
            if variant not in out:
                out.append(variant)
    return out


def abbreviations(markdown: str, entries: list[dict], lang: str) -> str:
    """``*[form]: definition`` lines for every glossary form the page uses."""
    definitions = _definitions(entries, lang)
    if not definitions:
        return ""
    pattern = _pattern(tuple(definitions))
    body = re.sub(r"`[^`]*`", " ", markdown)
    used = dict.fromkeys(m.group(1) for m in pattern.finditer(body))
    return "\n".join(f"*[{form}]: {definitions[form]}" for form in definitions if form in used)


def _definitions(entries: list[dict], lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in entries:
        item = entry.get(lang) or entry.get("en")
        if item:
            definition = " ".join(item["definition"].split())
            for form in _forms(item):
                out.setdefault(form, definition)
    return out


@lru_cache(maxsize=8)
def _pattern(forms: tuple[str, ...]) -> re.Pattern:
    """One regular expression for all forms, longest first, matched as whole words."""
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])")


ABBR = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')


def first_uses_only(html: str) -> str:
    """Keep the tooltip on the first use of each term in a page, plain text after that:
    fewer interactive elements (faster pages) and less repetition for screen readers."""
    seen: set[str] = set()

    def keep_first(match: re.Match) -> str:
        term = match.group(1).casefold()
        if term in seen:
            return match.group(1)
        seen.add(term)
        return match.group(0)

    return ABBR.sub(keep_first, html)


def page_html(entries: list[dict], lang: str) -> str:
    """The Glossary page body: a definition list, sorted in the language's order."""
    items = []
    for entry in entries:
        item = entry.get(lang) or entry.get("en")
        if item:
            items.append((sort_key(item["term"]), entry["id"], item))
    rows = [
        f'<dt id="{eid}">{escape(item["term"])}</dt>\n<dd>{escape(item["definition"])}</dd>'
        for _, eid, item in sorted(items)
    ]
    return '<dl class="glossary">\n' + "\n".join(rows) + "\n</dl>"
