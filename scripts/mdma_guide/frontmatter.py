"""Page front matter: the review metadata every page must carry.

MkDocs silently treats broken front matter as "no front matter", so a typo would publish a
page without its review dates. These functions parse the block themselves and say exactly
what is wrong, with the line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import Problem, SourceError
from .yamlio import load_yaml, strip_lines

REQUIRED = ("title", "description", "last_reviewed", "next_review")
EVIDENCE_LEVELS = ("high", "moderate", "low", "very-low", "not-graded")
DATE_FIELDS = ("last_reviewed", "next_review")
_FENCE = re.compile(r"^---[ \t]*$")


@dataclass
class FrontMatter:
    """The parsed block, the body after it and the line the body starts on."""

    meta: dict
    body: str
    body_line: int
    lines: dict = field(default_factory=dict)


def split(text: str, file: str) -> FrontMatter:
    """Split ``text`` into front matter and body. Raises SourceError on malformed YAML."""
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return FrontMatter({}, text, 1)
    for end in range(1, len(lines)):
        if _FENCE.match(lines[end].rstrip("\r\n")) or lines[end].rstrip() == "...":
            break
    else:
        raise SourceError(Problem(file, 1, "front matter starts with '---' but never ends"))
    block = "".join(lines[1:end])
    data = load_yaml(block, file, first_line=2) or {}
    if not isinstance(data, dict):
        raise SourceError(Problem(file, 2, "front matter must be a mapping of 'key: value'"))
    key_lines = _key_lines(lines[1:end])
    return FrontMatter(strip_lines(data), "".join(lines[end + 1 :]), end + 2, key_lines)


def _key_lines(block_lines: list[str]) -> dict:
    found = {}
    for number, line in enumerate(block_lines, start=2):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match:
            found.setdefault(match.group(1), number)
    return found


def as_date(value) -> dt.date | None:
    """An ISO date from YAML (string or date), or None when it is not one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def validate(fm: FrontMatter, file: str, today: dt.date | None = None) -> list[Problem]:
    """Every problem with the review metadata; overdue reviews are warnings."""
    problems: list[Problem] = []
    meta = fm.meta

    def line_of(key: str) -> int:
        return fm.lines.get(key, 1)

    if not meta:
        return [
            Problem(
                file,
                1,
                "no front matter: add title, description, last_reviewed, "
                "next_review (see CONTRIBUTING.md)",
                rule="front-matter",
            )
        ]
    for key in REQUIRED:
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(file, 1, f"front matter lacks '{key}'", rule="front-matter"))
    dates = {}
    for key in DATE_FIELDS:
        if key in meta and meta[key] is not None:
            parsed = as_date(meta[key])
            if parsed is None:
                problems.append(
                    Problem(
                        file,
                        line_of(key),
                        f"'{key}' must be an ISO date (YYYY-MM-DD), got {meta[key]!r}",
                        rule="front-matter",
                    )
                )
            dates[key] = parsed
    last, nxt = dates.get("last_reviewed"), dates.get("next_review")
    if last and nxt and nxt <= last:
        problems.append(
            Problem(
                file,
                line_of("next_review"),
                "'next_review' must be after 'last_reviewed'",
                rule="front-matter",
            )
        )
    today = today or dt.date.today()
    if last and last > today:
        problems.append(
            Problem(
                file,
                line_of("last_reviewed"),
                f"'last_reviewed' {last} is in the future",
                rule="front-matter",
            )
        )
    if nxt and nxt < today:
        problems.append(
            Problem(
                file,
                line_of("next_review"),
                f"review overdue since {nxt}",
                rule="review-overdue",
                severity="warning",
            )
        )
    evidence = meta.get("evidence")
    if evidence is not None and evidence not in EVIDENCE_LEVELS:
        problems.append(
            Problem(
                file,
                line_of("evidence"),
                f"'evidence' must be one of {', '.join(EVIDENCE_LEVELS)}, got {evidence!r}",
                rule="front-matter",
            )
        )
    keywords = meta.get("search_keywords")  # the reader's words for the page (search index)
    if keywords is not None and not (
        isinstance(keywords, list) and all(isinstance(k, str) and k.strip() for k in keywords)
    ):
        problems.append(
            Problem(
                file,
                line_of("search_keywords"),
                "'search_keywords' must be a list of words or phrases, "
                "e.g. [Holanda, Países Bajos]",
                rule="front-matter",
            )
        )
    description = meta.get("description")
    if isinstance(description, str) and len(description) > 200:
        problems.append(
            Problem(
                file,
                line_of("description"),
                "'description' is over 200 characters",
                rule="front-matter",
                severity="warning",
            )
        )
    return problems


def read_and_validate(text: str, file: str, today: dt.date | None = None):
    """Parse and validate; returns (FrontMatter | None, problems)."""
    try:
        fm = split(text, file)
    except SourceError as exc:
        return None, exc.problems
    return fm, validate(fm, file, today)
