"""Interface strings and locale-aware dates for templates and hooks."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from babel.dates import format_date

from .errors import Problem, SourceError
from .yamlio import load_yaml_file, strip_lines

STRINGS_FILE = Path("docs/data/strings.yaml")
# Day-month-year for English too: "November 26" reads as a US date to most of the world.
DATE_LOCALES = {"en": "en_GB"}


@cache
def load_strings(root: str) -> dict:
    """All strings, by language. The English set is the reference every language must match."""
    data = strip_lines(load_yaml_file(Path(root) / STRINGS_FILE, str(STRINGS_FILE)))
    if not isinstance(data, dict) or "en" not in data:
        raise SourceError(Problem(str(STRINGS_FILE), 1, "expected a mapping with an 'en' key"))
    reference = set(data["en"])
    for lang, table in data.items():
        missing = reference - set(table or {})
        if missing:
            raise SourceError(
                Problem(str(STRINGS_FILE), None, f"'{lang}' lacks {', '.join(sorted(missing))}")
            )
    return data


def strings_for(root: str, lang: str) -> dict:
    """The strings of ``lang``, falling back to English for a language not listed yet."""
    data = load_strings(root)
    return data.get(lang, data["en"])


def long_date(value: dt.date, lang: str) -> str:
    """A date as readers of ``lang`` write it: 26 November 2026, 26 de noviembre de 2026…"""
    return format_date(value, format="long", locale=DATE_LOCALES.get(lang, lang))


def cite_this_page(
    title: str, site_name: str, url: str, reviewed: dt.date | None, lang: str, strings: dict
) -> dict:
    """Plain-text and BibTeX forms of a page citation (for clinicians and researchers)."""
    reviewed_text = f" {strings['last_reviewed']} {long_date(reviewed, lang)}." if reviewed else ""
    # The home page's title is the site's name: say it once.
    same = title.strip().rstrip(".").casefold() == site_name.strip().rstrip(".").casefold()
    plain = f"{title}.{'' if same else f' {site_name}.'}{reviewed_text} {url}"
    slug = "-".join(part for part in url.rstrip("/").split("/")[3:] if part) or "home"
    fields = [
        ("title", "{" + title + "}"),
        ("organization", site_name),
        ("howpublished", "\\url{" + url + "}"),
    ]
    if reviewed:
        note = f"{strings['last_reviewed']} {long_date(reviewed, lang)}"
        fields += [("year", str(reviewed.year)), ("note", note)]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    bibtex = f"@misc{{mdmaguide-{slug},\n{body}\n}}"
    return {"plain": plain, "bibtex": bibtex}


def palette_role(entry: dict) -> str:
    """'light', 'dark' or 'auto' (follows the system) for one ``theme.palette`` entry; the
    key of its toggle's name in strings.yaml (``palette_toggle``)."""
    media = str(entry.get("media") or "")
    for role in ("light", "dark"):
        if f"prefers-color-scheme: {role}" in media.replace(" :", ":"):
            return role
    if entry.get("scheme") == "slate":
        return "dark"
    return "auto" if "prefers-color-scheme" in media else "light"
