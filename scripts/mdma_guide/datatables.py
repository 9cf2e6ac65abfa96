"""Schema-validated data files rendered as sortable, filterable tables.

A page asks for a table with a line ``[[data:NAME]]``; ``docs/data/NAME.yaml`` is checked
against ``docs/data/schemas/NAME.schema.json`` and rendered here. Sources become ordinary
citations (``[@key]``), so the citation step numbers them, lists them and flags retracted
work exactly as in prose.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .bibliography import BLOCKING, Bibliography
from .errors import Problem
from .records import load_records

DATA_DIR = "docs/data"
MARKER = re.compile(r"^\[\[data:(?P<name>[a-z-]+)\]\]\s*$", re.M)
SEVERITY_RANK = {"contraindicated": 1, "major": 2, "moderate": 3, "minor": 4, "unknown": 5}
CATEGORY_RANK = {
    "prohibited": 1,
    "decriminalised-possession": 2,
    "prohibited-with-medical-access": 3,
    "other": 4,
}
ACCESS_RANK = {"none": 1, "trials-only": 2, "special-access": 3, "prescription": 4}
TABLES = ("trials", "interactions", "legal-status")
REF_FIELDS = {"trials": "publications", "interactions": "refs", "legal-status": "sources"}


def data_path(root: Path, name: str) -> tuple[Path, str]:
    rel = f"{DATA_DIR}/{name}.yaml"
    return root / rel, rel


def load(root: Path, name: str, bib: Bibliography | None = None):
    """Rows of a data file and every problem (schema, duplicate ids, unknown sources)."""
    path, rel = data_path(root, name)
    if name not in TABLES:
        return [], [
            Problem(
                rel, None, f"unknown data table '{name}' (known: {', '.join(TABLES)})", rule="data"
            )
        ]
    if not path.exists():
        return [], [Problem(rel, None, "data file is missing", rule="data")]
    schema = Path(root) / DATA_DIR / "schemas" / f"{name}.schema.json"
    rows, problems = load_records(path, rel, schema)
    for row in rows:
        line = row.pop("__line__", None)
        label = f"row '{row.get('id')}'"
        if bib is not None:
            for key in row.get(REF_FIELDS[name]) or []:
                if key not in bib:
                    problems.append(
                        Problem(
                            rel, line, f"{label}: unknown bibliography key '{key}'", rule="data"
                        )
                    )
    return rows, problems


def keys_of(rows: list[dict], name: str) -> list[str]:
    return [k for row in rows for k in (row.get(REF_FIELDS[name]) or [])]


def _cite(keys: list[str], bib: Bibliography | None) -> str:
    """Pandoc citations for a cell; retracted works are cited knowingly (the badge shows)."""
    parts = []
    for key in keys:
        knowingly = bib is not None and key in bib and bib[key].get("status") in BLOCKING
        parts.append(f"[@{key}]{{.retracted}}" if knowingly else f"[@{key}]")
    return " ".join(parts)


def _cell(value, sort: str | int | None = None) -> str:
    attr = f' data-sort="{escape(str(sort), quote=True)}"' if sort is not None else ""
    return f"<td{attr}>{value}</td>"


def _rows_trials(rows, t, bib):
    v = t["values"]
    for row in rows:
        title = escape(row["title"])
        if row.get("acronym"):
            title = f"<strong>{escape(row['acronym'])}</strong>: {title}"
        n = row.get("n")
        n_text = "" if n is None else str(n)
        if n is not None and row.get("n_type") == "anticipated":
            n_text += f" ({escape(v['anticipated'])})"
        yield [
            _cell(f'<a href="{escape(row["url"], quote=True)}">{escape(row["id"])}</a>', row["id"]),
            _cell(title),
            _cell(escape(row.get("phase", "")), row.get("phase", "")),
            _cell(escape(row["condition"])),
            _cell(escape(row.get("population", ""))),
            _cell(n_text, n if n is not None else -1),
            _cell(escape(row.get("dose_regimen", ""))),
            _cell(escape(v.get(row["status"], row["status"])), row["status"]),
            _cell(_cite(row.get("publications") or [], bib)),
        ]


def _rows_interactions(rows, t, bib):
    v = t["values"]
    for row in rows:
        drug = f"<strong>{escape(row['drug'])}</strong>"
        if row.get("examples"):
            drug += f"<br><small>{escape(row['examples'])}</small>"
        severity = row["severity"]
        yield [
            _cell(drug, row["drug"]),
            _cell(escape(v[row["category"]]), v[row["category"]]),
            _cell(escape(row["effect"])),
            _cell(escape(row["mechanism"])),
            _cell(
                f'<span class="severity severity--{severity}">{escape(v.get(severity, severity))}'
                "</span>",
                SEVERITY_RANK[severity],
            ),
            _cell(escape(v[row["evidence"]])),
            _cell(escape(row.get("clinical_note", ""))),
            _cell(_cite(row["refs"], bib)),
        ]


def _rows_legal(rows, t, bib):
    v = t["values"]
    for row in rows:
        legal = f"<strong>{escape(v[row['category']])}</strong><br>{escape(row['status'])}"
        access = (
            f"<strong>{escape(v[row['medical_access']])}</strong><br>"
            f"{escape(row['medical_access_detail'])}"
        )
        if row.get("unconfirmed"):
            access += (
                f'<br><em class="unconfirmed">{escape(v["unconfirmed"])}: '
                f"{escape(row['unconfirmed'])}</em>"
            )
        yield [
            _cell(f"<strong>{escape(row['jurisdiction'])}</strong>", row["jurisdiction"]),
            _cell(legal, CATEGORY_RANK[row["category"]]),
            _cell(access, ACCESS_RANK[row["medical_access"]]),
            _cell(escape(row.get("possession", ""))),
            _cell(escape(row.get("effective", "")), row.get("effective", "")),
            _cell(_cite(row["sources"], bib)),
            _cell(escape(row["last_verified"]), row["last_verified"]),
        ]


COLUMNS = {
    "trials": (
        [
            "id",
            "title",
            "phase",
            "condition",
            "population",
            "n",
            "dose_regimen",
            "status",
            "publications",
        ],
        _rows_trials,
    ),
    "interactions": (
        [
            "drug",
            "category",
            "effect",
            "mechanism",
            "severity",
            "evidence",
            "clinical_note",
            "refs",
        ],
        _rows_interactions,
    ),
    "legal-status": (
        [
            "jurisdiction",
            "legal",
            "medical_access",
            "possession",
            "effective",
            "refs",
            "last_verified",
        ],
        _rows_legal,
    ),
}


def localized(row: dict, lang: str) -> dict:
    """The row with its text fields in ``lang`` where a translation exists."""
    return {**row, **(row.get("translations") or {}).get(lang, {})}


def render(
    name: str, rows: list[dict], strings: dict, bib: Bibliography | None, lang: str = "en"
) -> str:
    """One table as a raw HTML block (no blank lines, so Markdown leaves it whole)."""
    rows = [localized(row, lang) for row in rows]
    t = strings["tables"]
    columns, row_fn = COLUMNS[name]
    table_id = f"table-{name}"
    head = "".join(
        f'<th scope="col"><button type="button">{escape(t["columns"][c])}</button></th>'
        for c in columns
    )
    body = "\n".join("<tr>" + "".join(cells) + "</tr>" for cells in row_fn(rows, t, bib))
    return "\n".join(
        [
            f'<div class="data-table-wrapper" id="{table_id}-wrapper">',
            f'<label for="{table_id}-filter">{escape(strings["filter"])}</label>',
            f'<input type="search" class="data-table-filter" id="{table_id}-filter">',
            f'<p class="data-table-count" aria-live="polite"><span id="{table_id}-count">'
            f"{len(rows)}</span> {escape(strings['rows_shown'])}</p>",
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">',
            f'<table class="data-table" id="{table_id}">',
            f"<caption>{escape(t['caption'][name])}</caption>",
            f"<thead><tr>{head}</tr></thead>",
            f"<tbody>\n{body}\n</tbody>",
            "</table>",
            "</div></div>",
            "</div>",
        ]
    )
