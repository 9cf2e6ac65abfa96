"""Interface strings and locale-aware dates for templates and hooks."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from pathlib import Path

from babel.dates import format_date

from .errors import Problem, SourceError
from .yamlio import LINES_KEY, load_yaml_file, strip_lines

STRINGS_FILE = Path("docs/data/strings.yaml")
# The repository this code belongs to: the project whose strings are read until a build or a
# check loads another one's (a test's fixture site).
REPO_ROOT = str(Path(__file__).resolve().parents[2])
_project = {"root": REPO_ROOT}
LOCALE_KEYS = ("dates", "citations", "et_al", "quick_exit_page")


def load_strings(root: str) -> dict:
    """All strings, by language. The English set is the reference every language must match.
    The project loaded last is the one whose ``locale`` settings dates, references and the
    quick exit use (see ``locale_settings``)."""
    _project["root"] = root
    return _load(root)


@cache
def _load(root: str) -> dict:
    raw = load_yaml_file(Path(root) / STRINGS_FILE, str(STRINGS_FILE))
    lines = (raw.get(LINES_KEY) or {}) if isinstance(raw, dict) else {}
    data = strip_lines(raw)
    if not isinstance(data, dict) or "en" not in data:
        raise SourceError(Problem(str(STRINGS_FILE), 1, "expected a mapping with an 'en' key"))
    reference = set(data["en"])
    for lang, table in data.items():
        missing = sorted(reference - set(table or {}))
        if missing:
            raise SourceError(
                Problem(str(STRINGS_FILE), lines.get(lang), f"'{lang}' lacks {', '.join(missing)}")
            )
        if not isinstance(table, dict) or not isinstance(table.get("locale"), dict):
            continue  # a missing 'locale' is reported above, with the other missing keys
        unset = [key for key in LOCALE_KEYS if not table["locale"].get(key)]
        if unset:
            raise SourceError(
                Problem(
                    str(STRINGS_FILE),
                    lines.get(lang),
                    f"'{lang}' lacks locale settings {', '.join(unset)} (see the 'en' section)",
                )
            )
    return data


load_strings.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


def missing_language(lang: str) -> Problem:
    return Problem(
        str(STRINGS_FILE),
        None,
        f"no '{lang}' section: every language that mkdocs.yml builds (i18n plugin, "
        "languages) needs its interface strings and locale settings here",
    )


def check_languages(root: str, languages) -> list[Problem]:
    """A problem for each built language without a section in strings.yaml."""
    data = load_strings(root)
    return [missing_language(lang) for lang in languages if lang not in data]


def strings_for(root: str, lang: str) -> dict:
    """The strings of ``lang``; a language without a section is an error naming the file."""
    data = load_strings(root)
    if lang not in data:
        raise SourceError(missing_language(lang))
    return data[lang]


def locale_settings(lang: str) -> dict:
    """The ``locale`` settings of ``lang`` (Babel and CSL locales, "et al", quick-exit page)
    in the project loaded last (the repository's own until a build loads another)."""
    return strings_for(_project["root"], lang)["locale"]


def date_locale(lang: str) -> str:
    """The Babel locale of dates and numbers in ``lang`` (en_GB for English)."""
    return locale_settings(lang)["dates"]


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical order as readers of any of the site's languages accept it: accents and
    case do not move a name (French "étude" among the e's, "Österreich" among the o's), then
    the exact name breaks ties. For country names, glossary terms and table rows alike."""
    base = unicodedata.normalize("NFKD", name)
    return "".join(c for c in base if not unicodedata.combining(c)).casefold(), name


def long_date(value: dt.date, lang: str) -> str:
    """A date as readers of ``lang`` write it: 26 November 2026, 26 de noviembre de 2026…
    The first of a month as the optional locale setting ``first_day`` writes it (CLDR gives
    the cardinal: French writes "1er novembre", Brazilian Portuguese "1º de novembro")."""
    text = format_date(value, format="long", locale=date_locale(lang))
    first = locale_settings(lang).get("first_day")
    if value.day == 1 and first:
        text = re.sub(r"(?<!\d)1(?!\d)", str(first), text, count=1)
    return text


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
