"""Rule ``date-list-number``: a line that starts with a day and a month ("8. Mai 2024").

Markdown reads "8. " at the start of a line (or of a list item) as an ordered-list marker,
so "- 8. Mai 2024: …" is shown as "1. Mai 2024: …": the day is lost. German writes every
date this way; any language can. Month names come from babel for each built language.
The fix is to escape the dot (``8\\. Mai``) or to rephrase.
"""

from __future__ import annotations

import re
from functools import cache

from babel.dates import get_month_names

from .errors import Problem, SourceError
from .project import Project
from .strings import date_locale

RULE = "date-list-number"
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCE = re.compile(r"^\s*(```|~~~)")


@cache
def month_names(lang: str) -> tuple[str, ...]:
    """Wide and abbreviated month names of ``lang`` (format and stand-alone forms), each also
    capitalized (a Spanish month opening a sentence), longest first."""
    try:
        locale = date_locale(lang)  # 'pt-BR' is a language tag, not a Babel locale
    except SourceError:
        return ()  # a built language without strings is reported by the strings check
    names = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for name in get_month_names(width, context, locale=locale).values():
                name = name.rstrip(".")
                if len(name) >= 3:
                    names |= {name, name[:1].upper() + name[1:]}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@cache
def pattern(lang: str) -> re.Pattern:
    months = "|".join(re.escape(name) for name in month_names(lang))
    return re.compile(
        r"^(?:[ \t]*(?:>[ \t]*)*(?:[-*+]|\d+\.)[ \t]+)*[ \t]*(?:>[ \t]*)*"
        rf"(?P<day>0?[1-9]|[12]\d|3[01])\.[ \t]+(?P<month>{months})(?![^\W\d_])"
    )


def find(text: str, lang: str) -> list[tuple[int, str, str]]:
    """(line number, day, month) of each line of a Markdown page that opens with a date."""
    if not month_names(lang):
        return []
    match = FRONT_MATTER.match(text)
    skip = match.group().count("\n") if match else 0
    rx, found, in_fence = pattern(lang), [], False
    for number, line in enumerate(text.split("\n"), start=1):
        if number <= skip:
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and (m := rx.match(line)):
            found.append((number, m.group("day"), m.group("month")))
    return found


def check_list_dates(project: Project) -> list[Problem]:
    problems = []
    for lang in project.languages:
        for path in project.pages(lang).values():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # reported by the encoding checks
            for number, day, month in find(text, lang):
                problems.append(
                    Problem(
                        project.rel(path),
                        number,
                        f"'{day}. {month}' opens the line, so Markdown reads '{day}.' as a "
                        f"numbered-list marker and the day is not shown; write '{day}\\. {month}'",
                        rule=RULE,
                    )
                )
    return problems
