"""Lists of records in YAML checked against a JSON Schema: the data tables and the glossary.

One implementation of "read the file, check each record against ``$defs/entry``, reject
duplicate ids", reporting every problem with the file and the record's line.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .bibliography import entry_validator
from .errors import Problem, SourceError
from .yamlio import line_of, load_yaml_file, strip_lines


@lru_cache(maxsize=16)
def _schema(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_records(path: Path, rel: str, schema: Path) -> tuple[list[dict], list[Problem]]:
    """The records of a YAML list that match the schema (with their ``__line__``) and
    every problem found, at the line of the offending field."""
    try:
        raw = load_yaml_file(path, rel)
    except SourceError as exc:
        return [], exc.problems
    if not isinstance(raw, list):
        return [], [Problem(rel, 1, "expected a YAML list of records", rule="data")]
    validator = entry_validator(_schema(str(schema)))
    problems, records, seen = [], [], {}
    for item in raw:
        line = item.get("__line__") if isinstance(item, dict) else None
        record = strip_lines(item)
        has_id = isinstance(record, dict) and record.get("id")
        label = f"row '{record['id']}'" if has_id else "a row"
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        for error in errors:
            where = "/".join(str(p) for p in error.path)
            message = f"{label}: {where + ': ' if where else ''}{error.message}"
            problems.append(Problem(rel, line_of(item, error.path, line), message, rule="data"))
        if not isinstance(record, dict) or errors:
            continue  # a row that fails its schema is reported, never rendered
        if has_id and record["id"] in seen:
            message = f"duplicate id '{record['id']}' (first at line {seen[record['id']]})"
            problems.append(Problem(rel, line_of(item, ["id"], line), message, rule="data"))
        seen.setdefault(record.get("id"), line_of(item, ["id"], line))
        record["__line__"] = line
        records.append(record)
    return records, problems
