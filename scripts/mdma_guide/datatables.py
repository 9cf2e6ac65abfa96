"""Schema-validated data files rendered as sortable, filterable tables.

A page asks for a table with a line ``[[data:NAME]]``; ``docs/data/NAME.yaml`` is checked
against ``docs/data/schemas/NAME.schema.json`` and rendered here. Sources become ordinary
citations (``[@key]``), so the citation step numbers them, lists them and flags retracted
work exactly as in prose.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

from babel.dates import format_skeleton

from .bibliography import BLOCKING, Bibliography
from .errors import Problem
from .records import load_records
from .strings import date_locale, long_date, sort_key

DATA_DIR = "docs/data"
MARKER = re.compile(r"^\[\[data:(?P<name>[a-z-]+)\]\]\s*$", re.M)
SEVERITY_RANK = {"contraindicated": 1, "major": 2, "moderate": 3, "minor": 4, "unknown": 5}
CATEGORY_RANK = {
    "prohibited": 1,
    "decriminalised-possession": 2,
    "prohibited-with-medical-access": 3,
    "other": 4,
}
ACCESS_RANK = {
    "not-confirmed": 0,
    "none": 1,
    "trials-only": 2,
    "special-access": 3,
    "prescription": 4,
}
# emergency-numbers is a list rather than a table: scripts/mdma_guide/emergency.py renders it.
TABLES = ("trials", "trials-excluded", "interactions", "legal-status", "emergency-numbers")
REF_FIELDS = {
    "trials": ("publications", "dose_sources"),
    "trials-excluded": ("sources",),
    "interactions": ("refs",),
    "legal-status": ("sources",),
    "emergency-numbers": ("sources",),
}
# Registry statuses under which a study is still expected to report progress.
OPEN_STATUSES = {
    "recruiting",
    "active-not-recruiting",
    "not-yet-recruiting",
    "enrolling-by-invitation",
    "unknown",
}
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


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
            for key in _keys(row, name):
                if key not in bib:
                    problems.append(
                        Problem(
                            rel, line, f"{label}: unknown bibliography key '{key}'", rule="data"
                        )
                    )
    return rows, problems


def _keys(row: dict, name: str) -> list[str]:
    return [k for field in REF_FIELDS[name] for k in (row.get(field) or [])]


def keys_of(rows: list[dict], name: str) -> list[str]:
    return [k for row in rows for k in _keys(row, name)]


def _cite(keys: list[str], bib: Bibliography | None) -> str:
    """Pandoc citations for a cell; retracted works are cited knowingly (the badge shows)."""
    parts = []
    for key in keys:
        knowingly = bib is not None and key in bib and bib[key].get("status") in BLOCKING
        parts.append(f"[@{key}]{{.retracted}}" if knowingly else f"[@{key}]")
    return " ".join(parts)


def parse_date(value) -> tuple[dt.date, str] | None:
    """An ISO date of year, month or day precision as (first day, precision)."""
    if isinstance(value, dt.date):
        return value, "day"
    match = ISO_DATE.match(str(value or ""))
    if not match:
        return None
    year, month, day = match.groups()
    date = dt.date(int(year), int(month or 1), int(day or 1))
    return date, "day" if day else "month" if month else "year"


def compare_dates(value, other) -> int | None:
    """-1, 0 or 1 as ``value`` is before, within or after ``other``, at ``value``'s precision.

    "2026-12" is neither before nor after 6 December 2026: a month-precision date is only
    past once its month is over.
    """
    a, b = parse_date(value), parse_date(other)
    if a is None or b is None:
        return None
    size = {"year": 1, "month": 2, "day": 3}[a[1]]
    left = (a[0].year, a[0].month, a[0].day)[:size]
    right = (b[0].year, b[0].month, b[0].day)[:size]
    return (left > right) - (left < right)


def date_text(value, lang: str) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) as readers of ``lang`` write it."""
    parsed = parse_date(value)
    if parsed is None:
        return str(value)
    date, precision = parsed
    locale = date_locale(lang)
    if precision == "day":
        return long_date(date, lang)
    if precision == "month":
        return format_skeleton("yMMMM", date, locale=locale)
    return str(date.year)


def _cell(value, sort: str | int | None = None) -> str:
    """A table cell; an empty value is a bug in the data or the renderer (see the tests)."""
    attr = f' data-sort="{escape(str(sort), quote=True)}"' if sort is not None else ""
    return f"<td{attr}>{value}</td>"


def _or(value, fallback: str) -> str:
    """The escaped value, or the fallback words when the field is absent."""
    return escape(str(value)) if value not in (None, "") else f'<em class="unknown">{fallback}</em>'


def _trial_dates(row, t, lang) -> str:
    """Start, completion and results dates, each as the page language writes dates."""
    w = t["text"]
    unknown = escape(w["not_stated"])
    estimated = set(row.get("estimated") or [])
    lines = []
    for field in ("start", "primary_completion", "completion"):
        value = row.get(field)
        if value:
            text = escape(date_text(value, t["lang"]))
            if field in estimated or compare_dates(value, row["checked"]) == 1:
                text += f" ({escape(w['estimated'])})"
        else:
            text = f'<em class="unknown">{unknown}</em>'
        lines.append(f"{escape(w[field])}{t['colon']}{text}")
    results = row.get("results_posted")
    if isinstance(results, str):
        when = escape(date_text(results, t["lang"]))
        lines.append(f"{escape(w['results_posted'])}{t['colon']}{when}")
    elif results is True:
        lines.append(escape(w["results_yes"]))
    elif results is False:
        lines.append(escape(w["no_results"]))
    else:
        lines.append(f'{escape(w["results_posted"])}: <em class="unknown">{unknown}</em>')
    return "<br>".join(lines)


def _trial_status(row, t) -> str:
    """The registry status, the record's last update and the date the record was checked."""
    v, w, lang = t["values"], t["text"], t["lang"]
    parts = [f"<strong>{escape(v.get(row['status'], row['status']))}</strong>"]
    if row.get("status_detail"):
        parts.append(escape(row["status_detail"]))
    last = row.get("last_update")
    parts.append(
        escape(w["last_update"].format(date=date_text(last, lang)))
        if last
        else f'{escape(w["last_update_label"])}: <em class="unknown">{escape(w["not_stated"])}</em>'
    )
    passed = compare_dates(row.get("completion"), row["checked"]) == -1
    if row["status"] in OPEN_STATUSES and passed:
        planned = date_text(row["completion"], lang)
        if last:
            overdue = w["overdue"].format(date=planned, since=date_text(last, lang))
        else:
            overdue = w["overdue_open"].format(date=planned)
        parts.append(f'<em class="overdue">{escape(overdue)}</em>')
    if (
        row["status"] == "not-yet-recruiting"
        and compare_dates(row.get("start"), row["checked"]) == -1
    ):
        late = w["start_passed"].format(date=date_text(row["start"], lang))
        parts.append(f'<em class="overdue">{escape(late)}</em>')
    checked_text = w["checked"].format(date=date_text(row["checked"], lang))
    parts.append(f'<small class="checked">{escape(checked_text)}</small>')
    return "<br>".join(parts)


def _rows_trials(rows, t, bib):
    v, w = t["values"], t["text"]
    unknown = escape(w["not_stated"])
    for row in rows:
        title = escape(row["title"])
        if row.get("acronym"):
            title = f"<strong>{escape(row['acronym'])}</strong>: {title}"
        ident = f'<a href="{escape(row["url"], quote=True)}">{escape(row["id"])}</a>'
        if row.get("other_ids"):
            ident += "<br><small>" + "<br>".join(escape(i) for i in row["other_ids"]) + "</small>"
        n = row.get("n")
        if n is None:
            n_text = f'<em class="unknown">{unknown}</em>'
        else:
            kind = v["anticipated"] if row.get("n_type") == "anticipated" else v["actual"]
            n_text = f"{n} ({escape(kind)})"
            if row.get("n_detail"):
                n_text += f"<br><small>{escape(row['n_detail'])}</small>"
        phase = _or(row.get("phase"), unknown)
        if row.get("phase") == "n/a":
            phase = escape(v["phase-na"])
        pubs = row.get("publications") or []
        dose = _or(row.get("dose_regimen"), unknown)
        if row.get("dose_regimen") and row.get("dose_sources"):
            dose += " " + _cite(row["dose_sources"], bib)
        yield [
            _cell(ident, row["id"]),
            _cell(title),
            _cell(phase, row.get("phase", "")),
            _cell(escape(row["condition"])),
            _cell(_or(row.get("population"), unknown)),
            _cell(n_text, n if n is not None else -1),
            _cell(dose),
            _cell(_trial_status(row, t), row["status"]),
            _cell(_trial_dates(row, t, t["lang"]), row.get("start", "")),
            _cell(
                _cite(pubs, bib) if pubs else f'<em class="none">{escape(w["no_publication"])}</em>'
            ),
        ]


def _rows_trials_excluded(rows, t, bib):
    v, w = t["values"], t["text"]
    for row in rows:
        ident = escape(row["id"])
        if row.get("url"):
            ident = f'<a href="{escape(row["url"], quote=True)}">{ident}</a>'
        reason = f"<strong>{escape(v[row['reason']])}</strong><br>{escape(row['detail'])}"
        sources = row.get("sources") or []
        yield [
            _cell(ident, row["id"]),
            _cell(escape(row["title"])),
            _cell(reason, row["reason"]),
            _cell(
                _cite(sources, bib)
                if sources
                else f'<em class="none">{escape(w["no_source"])}</em>'
            ),
            _cell(escape(date_text(row["checked"], t["lang"])), row["checked"]),
        ]


def _severity_label(values: dict, severity: str) -> str:
    """A severity's label; a language whose labels agree in gender with "interaction" can
    give severity-specific forms ("severity-unknown") beside the shared value words."""
    return values.get(f"severity-{severity}", values.get(severity, severity))


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
                f'<span class="severity severity--{severity}">'
                f"{escape(_severity_label(v, severity))}</span>",
                SEVERITY_RANK[severity],
            ),
            _cell(escape(v[row["evidence"]])),
            _cell(_or(row.get("clinical_note"), escape(t["text"]["not_confirmed"]))),
            _cell(_cite(row["refs"], bib)),
        ]


def _rows_legal(rows, t, bib):
    """Short cells for comparing countries; the details and sources are in each section."""
    v = t["values"]
    for row in rows:
        name = escape(row["jurisdiction"])
        keys = row.get("sources") or []
        yield [
            _cell(f'<a href="#{row["id"]}"><strong>{name}</strong></a>', row["jurisdiction"]),
            _cell(escape(v[row["category"]]), CATEGORY_RANK[row["category"]]),
            _cell(escape(v[row["medical_access"]]), ACCESS_RANK[row["medical_access"]]),
            _cell(
                _cite(keys, bib)
                if keys
                else f'<em class="unknown">{escape(t["text"]["not_confirmed"])}</em>'
            ),
            _cell(escape(date_text(row["last_verified"], t["lang"])), row["last_verified"]),
        ]


# Legal status, one section per country --------------------------------------------------

SECTIONS_MARKER = re.compile(r"^\[\[data:legal-status:sections\]\]\s*$", re.M)
LEGAL_FIELDS = ("status", "medical_access_detail", "possession")


def legal_fields(
    row: dict, lang: str, legal: dict, colon: str = ": "
) -> list[tuple[str, str, list[str]]]:
    """(label, text, keys) for each reader field of one localized row; never an empty text.

    A field the data leaves out is said in words, with the day it was last checked.
    """
    checked = date_text(row["last_verified"], lang)
    missing = legal["not_confirmed"].format(date=checked)
    cites = row.get("cites") or {}
    fields = []
    for field in LEGAL_FIELDS:
        text = row.get(field)
        keys = list(cites.get(field) or [])
        fields.append((legal["labels"][field], text if text else missing, keys if text else []))
    changes = row.get("changes") or []
    texts = row.get("changes_text") or [c["text"] for c in changes]
    if changes:
        items = [
            (f"{date_text(c['date'], lang)}{colon}{text}", list(c.get("sources") or []))
            for c, text in zip(changes, texts, strict=True)
        ]
    else:
        items = [(legal["no_changes"].format(date=checked), [])]
    for text, keys in items:
        fields.append((legal["labels"]["changes"], text, keys))
    return fields


def _md_text(text: str) -> str:
    """Data text as Markdown that shows exactly that text."""
    return escape(text, quote=False).replace("*", "\\*").replace("_", "\\_")


def _legal_cite(keys: list[str], row: dict, legal: dict, bib) -> str:
    secondary = set(row.get("secondary") or [])
    parts = []
    for key in keys:
        part = _cite([key], bib)
        if key in secondary:
            part += f" ({legal['secondary']})"
        parts.append(part)
    return " ".join(parts)


def render_sections(rows: list[dict], strings: dict, bib, lang: str = "en") -> str:
    """A country picker, then one section per country with the ISO code as its anchor.

    Markdown, so that the headings enter the table of contents and the anchors are checked
    like any other heading.
    """
    legal = strings["legal"]
    rows = sorted((localized(r, lang) for r in rows), key=lambda r: sort_key(r["jurisdiction"]))
    links = "".join(f'<li><a href="#{r["id"]}">{escape(r["jurisdiction"])}</a></li>' for r in rows)
    out = [
        f'<nav class="country-picker" aria-label="{escape(legal["picker"], quote=True)}">'
        f'<p class="country-picker__title">{escape(legal["picker"])}</p>'
        f"<ul>{links}</ul></nav>",
        "",
    ]
    for row in rows:
        out += [f"### {_md_text(row['jurisdiction'])} {{ #{row['id']} }}", ""]
        fields = legal_fields(row, lang, legal, strings["colon"])
        current = None
        for label, text, keys in fields:
            cited = f"{_md_text(text)} {_legal_cite(keys, row, legal, bib)}".rstrip()
            if label == legal["labels"]["changes"]:
                if current != label:
                    out += [f"**{label}**", ""]
                out.append(f"- {cited}")
                current = label
                continue
            if current == legal["labels"]["changes"]:
                out.append("")
            out += [f"**{label}:** {cited}", ""]
            current = label
        if current == legal["labels"]["changes"]:
            out.append("")
        keys = row.get("sources") or []
        sources = _legal_cite(keys, row, legal, bib) if keys else legal["no_sources"]
        out += [f"**{legal['labels']['sources']}:** {sources}", ""]
        checked = date_text(row["last_verified"], lang)
        out += [f"**{legal['labels']['checked']}:** {checked}", ""]
    return "\n".join(out)


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
            "dates",
            "publications",
        ],
        _rows_trials,
    ),
    "trials-excluded": (
        ["id", "title", "reason", "refs", "checked"],
        _rows_trials_excluded,
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
        ["jurisdiction", "legal", "medical_access", "refs", "last_verified"],
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
    t = {**strings["tables"], "lang": lang, "colon": strings["colon"]}
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
