"""Review dates that mean something: pages reviewed before a trial they cite changed.

A page "cites a trial" when its Markdown mentions or links an NCT ID (in text or in a
clinicaltrials.gov link) or cites a bibliography entry whose URL is a clinicaltrials.gov
study. The registry watch (scripts/trials_watch.py) records each record's "last update
posted" date in its result file; when that date is after the page's ``last_reviewed``, the
checker warns at the first mention. No network: without a result file there is nothing to
compare, and nothing is reported. Pure logic: no MkDocs imports.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import citations, frontmatter
from .errors import Problem, SourceError

DEFAULT_RESULT = ".cache/trials-watch.json"
NCT_ID = re.compile(r"(?<![A-Za-z0-9])NCT\d{8}(?!\d)")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def load_result(path: Path, rel: str) -> tuple[dict[str, str], list[Problem]]:
    """NCT ID -> last update posted, from the watch's result file (problems as warnings)."""

    def warn(message: str) -> tuple[dict, list[Problem]]:
        return {}, [Problem(rel, None, message, rule="watch-result", severity="warning")]

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return warn(f"cannot read the registry watch result: {exc.strerror}")
    except (UnicodeDecodeError, ValueError) as exc:
        return warn(f"the registry watch result is not valid JSON: {exc}")
    trials = data.get("trials") if isinstance(data, dict) else None
    if not isinstance(trials, dict):
        return warn("the registry watch result has no 'trials' object (re-run the watch)")
    updates = {}
    for nct, entry in trials.items():
        record = entry.get("record") if isinstance(entry, dict) else None
        changed = record.get("last_update") if isinstance(record, dict) else None
        if isinstance(nct, str) and isinstance(changed, str) and _DATE.match(changed):
            updates[nct] = changed
    return updates, []


def trial_entries(bib) -> dict[str, str]:
    """Bibliography key -> NCT ID, for entries whose URL is a clinicaltrials.gov study."""
    found = {}
    for key, entry in (bib.entries if bib is not None else {}).items():
        url = (entry.get("URL") or entry.get("url")) if isinstance(entry, dict) else None
        if isinstance(url, str) and "clinicaltrials.gov" in url.lower():
            match = NCT_ID.search(url)
            if match:
                found[key] = match.group()
    return found


def first_mentions(body: str, first_line: int, trial_keys: dict[str, str]) -> dict[str, int]:
    """NCT ID -> line of its first mention, link or citation (fenced code excluded)."""
    lines: dict[str, int] = {}
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            for match in NCT_ID.finditer(line):
                lines.setdefault(match.group(), first_line + offset)
    for number, group in citations.scan(body, first_line):
        for item in citations.ITEM.finditer(group["body"]):
            nct = trial_keys.get(item.group("key"))
            if nct and number < lines.get(nct, number + 1):
                lines[nct] = number
    return lines


def _after(changed: str, reviewed: str) -> bool:
    size = min(len(changed), len(reviewed))
    return changed[:size] > reviewed[:size]


def check(project, bib, result: Path | None) -> list[Problem]:
    """Warnings for pages reviewed before a cited trial's registry record last changed.

    ``result`` is the watch's result file; None means the default one, if it exists.
    """
    if result is None:
        result = project.root / DEFAULT_RESULT
        if not result.is_file():
            return []
    elif not result.is_absolute():
        result = project.root / result
    try:
        rel = result.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        rel = result.name
    updates, problems = load_result(result, rel)
    if not updates:
        return problems
    trial_keys = trial_entries(bib)
    for lang in project.languages:
        for path in project.pages(lang).values():
            page = project.rel(path)
            try:
                text = path.read_text(encoding="utf-8")
                fm = frontmatter.split(text, page)
            except (OSError, UnicodeDecodeError, SourceError):
                continue  # reported by the encoding and front-matter checks
            reviewed = frontmatter.as_date(fm.meta.get("last_reviewed"))
            if reviewed is None:
                continue
            mentions = first_mentions(fm.body, fm.body_line, trial_keys)
            for nct, line in sorted(mentions.items(), key=lambda item: item[1]):
                changed = updates.get(nct)
                if changed and _after(changed, reviewed.isoformat()):
                    problems.append(
                        Problem(
                            page,
                            line,
                            f"{nct}'s registry record changed on {changed} (last update "
                            f"posted), after this page was reviewed on {reviewed.isoformat()}; "
                            "re-check the page",
                            rule="registry-stale",
                            severity="warning",
                            target=nct,
                        )
                    )
    return problems
