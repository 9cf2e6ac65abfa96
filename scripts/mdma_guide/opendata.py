"""The data tables as open data: CSV and JSON files and a Frictionless data package.

Written once per build into ``<site>/data/`` (language-independent): one row per record,
nested values flattened to text, the Spanish and German text of translated fields as extra
columns (``status_es``, ``status_de``…). ``datapackage.json`` describes every file with a
Table Schema derived from the table's JSON Schema, its sources (the works and official pages
the rows cite) and the date of the last check.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from babel import Locale

from . import datatables, frontmatter
from .bibliography import Bibliography
from .project import load_project
from .sources import read_source

OUT_DIR = "data"
PACKAGE = "datapackage.json"
# Every table with a [[data:NAME]] marker, in the order of the package.
TABLES = ("trials", "trials-excluded", "interactions", "legal-status", "emergency-numbers")
# The project states no licence for its data (README, LICENSE): the lead must choose one.
LICENSE = {
    "name": "licence-not-yet-chosen",
    "title": (
        "PLACEHOLDER: the project has not stated a licence for these data yet; "
        "replace this entry (for example with CC-BY-4.0) before relying on it"
    ),
}
TITLES = {
    "trials": "Registered clinical trials of MDMA-assisted therapy",
    "trials-excluded": "Registered studies left out of the trials table, with the reason",
    "interactions": "Interactions between MDMA and other drugs",
    "legal-status": "Legal status of MDMA by jurisdiction",
    "emergency-numbers": "Emergency telephone numbers by country",
}
CHECK_FIELDS = ("checked", "last_verified")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _entry_schema(root: Path, name: str) -> dict:
    path = Path(root) / datatables.DATA_DIR / "schemas" / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))["$defs"]["entry"]


def fields(entry: dict, translated: tuple[str, ...]) -> list[dict]:
    """Table Schema fields for a table's JSON Schema ``entry``, with a column per translated
    field and language (``translated``: the site's languages but the default one)."""
    required = set(entry.get("required", []))
    out = []
    props = entry["properties"]
    for key, prop in props.items():
        if key == "translations":
            continue
        field = {"name": key, "type": _type(prop)}
        if prop.get("description"):
            field["description"] = prop["description"]
        if prop.get("type") == "array":
            field["description"] = (
                field.get("description", "") + " Several values are separated by '; '."
            ).strip()
        constraints = {}
        if key in required and prop.get("type") != "array":  # a list may be empty
            constraints["required"] = True
        if "enum" in prop:
            constraints["enum"] = list(prop["enum"])
        if constraints:
            field["constraints"] = constraints
        out.append(field)
    translatable = (
        (props.get("translations") or {}).get("additionalProperties", {}).get("properties", {})
    )
    for lang in translated:
        name = Locale.parse(lang.replace("-", "_")).get_display_name("en")
        for key in translatable:
            out.append(
                {
                    "name": f"{key}_{lang}",
                    "type": "string",
                    "description": f"'{key}' in {name} (empty when not translated).",
                }
            )
    return out


def _type(prop: dict) -> str:
    kind = prop.get("type")
    if kind in ("integer", "number", "boolean"):
        return kind
    if prop.get("format") == "date" and "\\d{2}-\\d{2}$" in prop.get("pattern", ""):
        return "date"
    return "string"


def _text(value) -> str | None:
    """One cell: lists joined with '; ', records written as their values."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def records(rows: list[dict], table_fields: list[dict], translated: tuple[str, ...]) -> list[dict]:
    """The rows as flat records (None for a missing value), in the fields' order."""
    out = []
    for row in rows:
        translations = row.get("translations") or {}
        record = {}
        for field in table_fields:
            name = field["name"]
            base, _, lang = name.rpartition("_")
            if base and lang in translated and name not in row and field["type"] == "string":
                value = (translations.get(lang) or {}).get(base)
            else:
                value = row.get(name)
            numeric = field["type"] in ("integer", "number") and value is not None
            if numeric or (field["type"] == "boolean" and isinstance(value, bool)):
                record[name] = value
            else:
                record[name] = _text(value)
        out.append(record)
    return out


def to_csv(table_fields: list[dict], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f["name"] for f in table_fields])
    for row in rows:
        writer.writerow(["" if row[f["name"]] is None else row[f["name"]] for f in table_fields])
    return buffer.getvalue()


def last_checked(root: Path, name: str, rows: list[dict]) -> str | None:
    """The latest check date in the rows or, for a table without one, the latest review of
    the English pages that show it."""
    dates = [str(row[f]) for row in rows for f in CHECK_FIELDS if row.get(f)]
    if not dates:
        marker = f"[[data:{name}]]"
        for page in sorted((Path(root) / "docs" / "en").rglob("*.md")):
            text = read_source(page, str(page)).text  # None: unreadable, reported elsewhere
            if text and marker in text:
                try:
                    reviewed = frontmatter.as_date(
                        frontmatter.split(text, str(page)).meta.get("last_reviewed")
                    )
                except Exception:  # noqa: BLE001 - the metadata check reports it
                    reviewed = None
                if reviewed:
                    dates.append(reviewed.isoformat())
    return max(dates) if dates else None


def sources(name: str, rows: list[dict], bib: Bibliography | None) -> list[dict]:
    """The works (bibliography entries), registry records and official pages the rows
    cite, each once."""
    out, seen = [], set()
    for key in datatables.keys_of(rows, name):
        if key in seen:
            continue
        seen.add(key)
        entry = bib.entries.get(key, {}) if bib is not None else {}
        source = {"title": str(entry.get("title") or key)}
        if entry.get("URL"):
            source["path"] = entry["URL"]
        elif entry.get("DOI"):
            source["path"] = f"https://doi.org/{entry['DOI']}"
        out.append(source)
    for row in rows:
        # registry records (trials) and official pages (emergency numbers)
        for url in [row["url"]] if row.get("url") else row.get("urls") or []:
            if url not in seen:
                seen.add(url)
                out.append({"title": url.split("/")[2], "path": url})
    return out


def build(
    root: Path, site_url: str, bib: Bibliography | None, languages: tuple[str, ...] | None = None
) -> tuple[dict[str, str], list]:
    """Every file of the package (name -> text) and the problems of the data files;
    ``languages`` (default first) are mkdocs.yml's unless given."""
    files: dict[str, str] = {}
    resources = []
    problems = []
    translated = (languages or load_project(Path(root)).languages)[1:]
    for name in TABLES:
        rows, found = datatables.load(Path(root), name, bib)
        problems += found
        table_fields = fields(_entry_schema(root, name), translated)
        flat = records(rows, table_fields, translated)
        files[f"{name}.csv"] = to_csv(table_fields, flat)
        files[f"{name}.json"] = json.dumps(flat, ensure_ascii=False, indent=1) + "\n"
        common = {
            "profile": "tabular-data-resource",
            "title": TITLES.get(name, name),
            "description": (
                f"{TITLES.get(name, name)}, from docs/data/{name}.yaml of the MDMA Evidence "
                "Guide. Each row's own sources are in its columns; the sources below are "
                "every work and official page the rows cite."
            ),
            "encoding": "utf-8",
            "schema": {"fields": table_fields, "missingValues": [""]},
            "sources": sources(name, rows, bib),
            "licenses": [LICENSE],
        }
        checked = last_checked(root, name, rows)
        if checked:
            common["lastChecked"] = checked
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                **common,
            }
        )
        resources.append(
            {
                "name": f"{name}-json",
                "path": f"{name}.json",
                "format": "json",
                "mediatype": "application/json",
                **common,
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "mdma-evidence-guide-data",
        "title": "MDMA Evidence Guide: data tables",
        "description": (
            "The guide's data tables as CSV and JSON. Not medical or legal advice; "
            "check each row's sources and date."
        ),
        "homepage": site_url,
        "licenses": [LICENSE],
        "resources": resources,
    }
    files[PACKAGE] = json.dumps(package, ensure_ascii=False, indent=1) + "\n"
    return files, problems


def write(target: Path, files: dict[str, str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8", newline="")


def download_links(name: str, page_url: str, label: str, relative) -> str:
    """The "Download this table: CSV · JSON" line under a table.

    ``relative(target, page_url)`` is MkDocs' relative-URL function (the caller's).
    """
    csv_href = relative(f"{OUT_DIR}/{name}.csv", page_url)
    json_href = relative(f"{OUT_DIR}/{name}.json", page_url)
    return (
        f'<p class="data-download">{label} '
        f'<a href="{csv_href}" type="text/csv" download>CSV</a> · '
        f'<a href="{json_href}" type="application/json" download>JSON</a></p>'
    )
