"""The glossary: one data file, shown as the Glossary page and as tooltips on every page.

``docs/data/glossary.yaml`` holds each concept once, with its term, other forms and a
plain definition per language. Pages get Markdown abbreviations (``*[term]: definition``)
for the terms they use, which Material shows as tooltips.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .bibliography import entry_validator
from .errors import Problem, SourceError
from .yamlio import load_yaml_file, strip_lines

GLOSSARY_FILE = "docs/data/glossary.yaml"
MARKER = "[[glossary]]"


def load(root: Path) -> tuple[list[dict], list[Problem]]:
    path = root / GLOSSARY_FILE
    if not path.exists():
        return [], []
    try:
        raw = load_yaml_file(path, GLOSSARY_FILE)
    except SourceError as exc:
        return [], exc.problems
    if not isinstance(raw, list):
        return [], [Problem(GLOSSARY_FILE, 1, "expected a YAML list", rule="data")]
    import json

    schema = json.loads((root / "docs/data/schemas/glossary.schema.json").read_text("utf-8"))
    validator = entry_validator(schema)
    problems, entries, seen = [], [], set()
    for item in raw:
        line = item.get("__line__") if isinstance(item, dict) else None
        entry = strip_lines(item)
        for error in validator.iter_errors(entry):
            where = "/".join(str(p) for p in error.path)
            problems.append(Problem(GLOSSARY_FILE, line, f"{where}: {error.message}", rule="data"))
        if isinstance(entry, dict):
            if entry.get("id") in seen:
                problems.append(
                    Problem(GLOSSARY_FILE, line, f"duplicate id '{entry['id']}'", rule="data")
                )
            seen.add(entry.get("id"))
            entries.append(entry)
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
