"""Emergency numbers by country (docs/data/emergency-numbers.yaml) as a compact list.

Readers in a crisis need their own country's number in a tap: one line per country, the
country's name in the page's language (from its ISO code, through babel), sorted as that
language sorts, each number a ``tel:`` link. The sources are listed once, grouped, under the
list, so the list itself stays short enough for a printed handout.
"""

from __future__ import annotations

import re
from html import escape

from babel import Locale

from .strings import sort_key

NAME = "emergency-numbers"
SERVICES = ("general", "ambulance", "poison", "non-urgent")


def country_name(code: str, lang: str) -> str:
    """The country's name as readers of ``lang`` write it (the code itself if unknown)."""
    try:
        return Locale.parse(lang).territories.get(code.upper(), code.upper())
    except (ValueError, TypeError):
        return code.upper()


def tel_href(number: str) -> str:
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


def entries(rows: list[dict], lang: str) -> list[dict]:
    """The rows with their names in ``lang``, in that language's alphabetical order."""
    named = [{**row, "name": country_name(row["id"], lang)} for row in rows]
    return sorted(named, key=lambda row: sort_key(row["name"]))


def _numbers(row: dict, labels: dict) -> str:
    parts = []
    for item in row["numbers"]:
        number = escape(item["number"])
        label = labels.get(item["service"], item["service"])
        parts.append(
            f'<a class="emergency-number" href="{tel_href(item["number"])}">{number}</a>'
            f' <span class="emergency-service">({escape(label)})</span>'
        )
    return " · ".join(parts)


def _source_links(row: dict) -> str:
    """Citations for bibliography keys (numbered by the citations step) and official links."""
    parts = [f"[@{key}]" for key in row.get("sources") or []]
    for url in row.get("urls") or []:
        host = re.sub(r"^www\d*\.", "", url.split("/")[2])
        parts.append(f'<a href="{escape(url, quote=True)}">{escape(host)}</a>')
    return " ".join(parts)


def render(rows: list[dict], strings: dict, lang: str, checked_text) -> str:
    """The list as one raw HTML block (no blank lines, so Markdown leaves it whole).

    ``checked_text(iso_date)`` writes a date as the page's language does.
    """
    t = strings["emergency_numbers"]
    ordered = entries(rows, lang)
    items = "\n".join(
        f'<li id="tel-{row["id"]}"><strong>{escape(row["name"])}</strong>: '
        f"{_numbers(row, t['services'])}</li>"
        for row in ordered
    )
    # On paper, countries with the same numbers are one group (27 EU rows, one group) and the
    # groups run on as one paragraph, so the list fits a printed handout; the screen list keeps
    # one line per country.
    same: dict[tuple, list[str]] = {}
    for row in ordered:
        key = tuple((n["number"], n["service"]) for n in row["numbers"])
        same.setdefault(key, []).append(row["name"])
    # On paper an unlabelled number is the general emergency number; others say what they are.
    compact = "; ".join(
        '<span class="emergency-numbers__group">'
        + " · ".join(
            f"<strong>{escape(number)}</strong>"
            + ("" if service == "general" else f" ({escape(t['services'].get(service, service))})")
            for number, service in key
        )
        + f"{strings['colon']}{escape(', '.join(names))}</span>"
        for key, names in same.items()
    )
    # Countries that share their sources are listed together: 27 EU rows, one source.
    groups: dict[str, list[str]] = {}
    for row in ordered:
        groups.setdefault(_source_links(row), []).append(row["name"])
    sources = "\n".join(
        f"<li>{escape(', '.join(names))}{strings['colon']}{links}</li>"
        for links, names in groups.items()
    )
    latest = max(str(row["checked"]) for row in rows) if rows else ""
    checked = escape(t["checked"].format(date=checked_text(latest))) if latest else ""
    return "\n".join(
        [
            f'<div class="emergency-numbers" id="{NAME}">',
            f'<ul class="emergency-numbers__list">\n{items}\n</ul>',
            f'<p class="emergency-numbers__print" hidden>{compact}.</p>',
            f'<p class="emergency-numbers__missing">{escape(t["missing"])}</p>',
            '<details class="emergency-numbers__sources">',
            f"<summary>{escape(t['sources'])}</summary>",
            f"<p>{checked}</p>",
            f"<ul>\n{sources}\n</ul>",
            "</details>",
            "</div>",
        ]
    )
