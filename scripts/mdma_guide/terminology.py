"""One word for one thing, per language: the terminology list and its check.

``docs/data/terminology.yaml`` names, for each concept, the word a language uses and the
variants a native reviewer flagged (another word for the same thing, a calque, a wrong
register). Pages, the glossary, the data tables and the interface strings share it: the
checker reports every flagged variant in any of them at file:line, with the word to use.

A variant is a phrase matched case-insensitively on word boundaries; a trailing ``*``
lets it match inflected forms ("Dosierungssitzung*"). A variant starting with ``re:`` is
a regular expression, for the few patterns that no phrase can describe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .records import load_records

FILE = "docs/data/terminology.yaml"
SCHEMA = "docs/data/schemas/terminology.schema.json"
# Data files whose text readers see; each keeps its per-language text under language keys.
DATA_FILES = ("glossary", "trials", "interactions", "legal-status", "strings")
FENCE = re.compile(r"^\s*(```|~~~)")
YAML_KEY = re.compile(r"^(?P<indent>\s*)(?:- )?(?P<key>[\w-]+):(?:\s|$)")


@dataclass(frozen=True)
class Variant:
    concept: str
    lang: str
    text: str
    use: str
    pattern: re.Pattern

    def message(self, found: str) -> str:
        return f"'{found}' is not this guide's word for '{self.concept}': use '{self.use}'"


def _compile(variant: str) -> re.Pattern:
    if variant.startswith("re:"):
        return re.compile(variant[3:], re.IGNORECASE)
    stem, wildcard = (variant[:-1], True) if variant.endswith("*") else (variant, False)
    body = r"\s+".join(re.escape(word) for word in stem.split())
    tail = r"\w*" if wildcard else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + tail, re.IGNORECASE)


def load(root: Path) -> tuple[list[Variant], list[Problem]]:
    """The flagged variants of every concept, and any problem in the list itself."""
    path = root / FILE
    if not path.exists():
        return [], []
    records, problems = load_records(path, FILE, root / SCHEMA)
    variants = []
    invalid = {problem.line for problem in problems}
    for record in records:
        if record.get("__line__") in invalid:
            continue  # reported; a record that failed its schema is never used
        english = (record.get("en") or {}).get("use", record["id"])
        for lang, spec in record.items():
            if not isinstance(spec, dict):
                continue
            for text in spec.get("avoid", []):
                try:
                    pattern = _compile(text)
                except re.error as exc:
                    line = record.get("__line__")
                    problems.append(Problem(FILE, line, f"'{text}': {exc}", rule="terminology"))
                    continue
                variants.append(Variant(english, lang, text, spec["use"], pattern))
    return variants, problems


def scan_markdown(text: str, rel: str, variants: list[Variant]) -> list[Problem]:
    """Flagged variants in a page's prose (fenced and inline code are skipped)."""
    problems = []
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line)
        problems += _scan_line(line, rel, number, variants)
    return problems


def scan_yaml(text: str, rel: str, by_lang: dict[str, list[Variant]]) -> list[Problem]:
    """Flagged variants in a data file, each line judged by the language key it sits under
    (``es:``, ``translations: de:``, or a top-level ``es:`` block as in strings.yaml)."""
    problems = []
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = YAML_KEY.match(line)
        if match:
            key_indent = len(match.group("indent")) + (2 if line.lstrip().startswith("- ") else 0)
            while stack and stack[-1][0] >= key_indent:
                stack.pop()
            stack.append((key_indent, match.group("key")))
        lang = next((key for _, key in reversed(stack) if key in by_lang), None)
        if lang:
            problems += _scan_line(line, rel, number, by_lang[lang])
    return problems


def _scan_line(line: str, rel: str, number: int, variants: list[Variant]) -> list[Problem]:
    problems = []
    for variant in variants:
        for match in variant.pattern.finditer(line):
            problems.append(
                Problem(rel, number, variant.message(match.group()), rule="terminology")
            )
    return problems


def check(project) -> list[Problem]:
    """Every flagged variant in the pages and the data files of every built language."""
    variants, problems = load(project.root)
    by_lang: dict[str, list[Variant]] = {}
    for variant in variants:
        by_lang.setdefault(variant.lang, []).append(variant)
    for lang in project.languages:
        for path in project.pages(lang).values():
            if lang not in by_lang:
                break
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # reported by the encoding check
            problems += scan_markdown(text, project.rel(path), by_lang[lang])
    wanted = {lang: v for lang, v in by_lang.items() if lang in project.languages}
    for name in DATA_FILES:
        path = project.docs / "data" / f"{name}.yaml"
        if not path.exists() or not wanted:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        problems += scan_yaml(text, project.rel(path), wanted)
    return problems
