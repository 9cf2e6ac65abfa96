"""Output formats of the checker: text, json, github (workflow annotations), sarif."""

from __future__ import annotations

import json
from collections import defaultdict

from .errors import Problem

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_HELP = {
    "link-internal": "An internal link points to a page or file that does not exist.",
    "link-anchor": "A link points to an anchor that does not exist on its page.",
    "link-external": "An external URL or DOI is broken.",
    "link-unverifiable": "An external URL could not be verified (timeouts, rate limits).",
    "citation-unknown": "A citation key is not in the bibliography.",
    "citation-retracted": "A retracted or withdrawn work is cited without {.retracted}.",
    "citation-syntax": "Malformed citation syntax.",
    "citation-unused": "A bibliography entry is cited nowhere.",
    "bibliography": "A bibliography entry is malformed.",
    "bibliography-duplicate": "The same DOI, PMID or PMCID appears under two keys.",
    "bibliography-order": "Bibliography entries are not sorted by id.",
    "doi-title-mismatch": "Crossref's title differs from the bibliography's.",
    "doi-status-mismatch": "Crossref's retraction or correction status differs.",
    "doi-unknown-to-crossref": "Crossref does not know this DOI.",
    "front-matter": "Page review metadata is missing or malformed.",
    "review-overdue": "A page is past its next review date.",
    "registry-stale": "A cited trial's registry record changed after the page was reviewed.",
    "watch-result": "The registry watch's result file cannot be used.",
    "translation-missing": "A page has no translation in a language.",
    "translation-orphaned": "A translation has no English page.",
    "translation-anchor": "A translation lacks a heading anchor of the English page.",
    "translation-stale": "The English page changed after the translation was made.",
    "translation-citations": "A translation cites more or fewer sources than its English page.",
    "translation-unversioned": "A translation does not record its English version.",
    "date-list-number": "A line opens with a day and month ('8. Mai'): Markdown eats the day.",
    "data": "A data file does not match its schema.",
    "process-words": "Research-process wording is visible to readers on a built page.",
    "encoding": "A file cannot be read as UTF-8.",
    "html": "A built page cannot be parsed.",
    "config": "The configuration cannot be read.",
    "build": "The site does not build.",
    "source": "A source file cannot be used.",
    "doi-status-unchecked": "Crossref's retraction status of a DOI could not be checked.",
}


def as_dict(problem: Problem) -> dict:
    return {
        "rule": problem.rule,
        "severity": problem.severity,
        "file": problem.file,
        "line": problem.line,
        "message": problem.message,
        "target": problem.target,
    }


def to_json(problems: list[Problem], stats: dict) -> str:
    return json.dumps(
        {"findings": [as_dict(p) for p in problems], "stats": stats}, indent=2, ensure_ascii=False
    )


def to_github(problems: list[Problem]) -> str:
    lines = []
    for p in problems:
        level = "error" if p.severity == "error" else "warning"
        where = f"file={p.file}" + (f",line={p.line}" if p.line else "")
        message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        lines.append(f"::{level} {where},title={p.rule}::{message}")
    return "\n".join(lines)


def to_sarif(problems: list[Problem], version: str = "1", failure: str | None = None) -> str:
    """SARIF 2.1.0; ``failure`` marks a run that could not check anything, and why."""
    rules = sorted({p.rule for p in problems})
    results = []
    for p in problems:
        location = {"physicalLocation": {"artifactLocation": {"uri": p.file}}}
        if p.line:
            location["physicalLocation"]["region"] = {"startLine": p.line}
        results.append(
            {
                "ruleId": p.rule,
                "level": "error" if p.severity == "error" else "warning",
                "message": {"text": p.message},
                "locations": [location],
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "check_site",
                "version": version,
                "rules": [
                    {"id": r, "shortDescription": {"text": RULE_HELP.get(r, r)}} for r in rules
                ],
            }
        },
        "results": results,
    }
    if failure:
        run["invocations"] = [
            {
                "executionSuccessful": False,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": failure}}],
            }
        ]
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)


def to_text(problems: list[Problem], stats: dict, colour: bool) -> str:
    red, yellow, bold, reset = (
        ("\033[31m", "\033[33m", "\033[1m", "\033[0m") if colour else ("", "", "", "")
    )
    by_file = defaultdict(list)
    for p in problems:
        by_file[p.file].append(p)
    out = []
    for file in sorted(by_file):
        out.append(f"{bold}{file}{reset}")
        for p in sorted(by_file[file], key=lambda q: (q.line or 0, q.rule)):
            colour_code = red if p.severity == "error" else yellow
            line = f"{p.line}" if p.line else "-"
            out.append(f"  {line:>5}  {colour_code}{p.severity:<7}{reset} {p.message}  [{p.rule}]")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    for lang, r in (stats.get("readability") or {}).items():
        kp, body = r.get("key_points") or {}, r.get("body") or {}
        out.append(
            f"readability {lang}: key points median {kp.get('median', 'n/a')} "
            f"({r['target']}; {r['meeting_target']}/{r['pages']} pages meet it), "
            f"body median {body.get('median', 'n/a')}"
        )
    summary = ", ".join(f"{k}: {v}" for k, v in stats.items() if not isinstance(v, dict))
    out.append(f"{bold}{errors} error(s), {warnings} warning(s){reset} ({summary})")
    return "\n".join(out)
