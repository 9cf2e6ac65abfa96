"""The glossary: one data file, shown as the Glossary page and as tooltips on every page.

``docs/data/glossary.yaml`` holds each concept once, with its term, other forms and a
plain definition per language. Pages get Markdown abbreviations (``*[term]: definition``)
for the terms they use, which Material shows as tooltips.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .errors import Problem
from .records import load_records

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
    lines = []
    body = re.sub(r"`[^`]*`", " ", markdown)
    for entry in entries:
        item = entry.get(lang) or entry.get("en")
        if not item:
            continue
        definition = " ".join(item["definition"].split())
        for form in _forms(item):
            if re.search(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", body):
                lines.append(f"*[{form}]: {definition}")
    return "\n".join(lines)


def page_html(entries: list[dict], lang: str) -> str:
    """The Glossary page body: a definition list, sorted in the language's order."""
    items = []
    for entry in entries:
        item = entry.get(lang) or entry.get("en")
        if item:
            items.append((item["term"].casefold(), entry["id"], item))
    rows = [
        f'<dt id="{eid}">{escape(item["term"])}</dt>\n<dd>{escape(item["definition"])}</dd>'
        for _, eid, item in sorted(items)
    ]
    return '<dl class="glossary">\n' + "\n".join(rows) + "\n</dl>"
