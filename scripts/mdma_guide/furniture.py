"""What the templates show around a page (context["guide"]): review dates, evidence label,
"cite this page", quick exit, links in the reader's language, JSON-LD. Plain functions of
plain values, so any engine's adapter can call them; the MkDocs hook only gathers the values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlsplit

from . import frontmatter, jsonld, quick_exit
from .strings import cite_this_page, long_date, strings_for

# Pages the furniture links to, in the reader's language.
LINKS = {
    "home": "",
    "emergency": "emergency/",
    "emergency_numbers": "emergency/#numbers",
    "evidence_labels": "start-here/#evidence-labels",
    "quick_exit": "about/quick-exit/",
}


def prefix(lang: str, default: str) -> str:
    """A language's folder in the site ('' for the default language)."""
    return "" if lang == default else f"{lang}/"


def exit_button(lang: str, site_url: str | None) -> dict:
    """The quick-exit button: its neutral page and the site's path (Material keeps the
    reader's theme and search state in localStorage under keys that start with it)."""
    return {
        "url": quick_exit.neutral_page(lang),
        "root": urlsplit(site_url or "/").path or "/",
        "presses": quick_exit.PRESSES,
        "window": quick_exit.WINDOW_MS,
    }


def split_body(html: str) -> dict | None:
    """The page body cut after its title, where the page meta goes (None: no title)."""
    head, sep, tail = html.partition("</h1>")
    return {"head": head + sep, "tail": tail} if sep else None


def page(
    *,
    repo: str,
    lang: str,
    default: str,
    meta: dict,
    title: str | None,
    site_name: str,
    site_url: str | None,
    url: str,
    page_url: str,
    body: str,
    relative: Callable[[str, str], str],
    file_lang: str | None = None,
    cited: list | None = None,
) -> dict:
    """The furniture of one page. ``url`` is the page's absolute address, ``page_url`` its
    site-relative one, ``relative(target, page_url)`` the engine's relative-link function,
    ``file_lang`` the language of the source shown (differs from ``lang`` on a fallback)."""
    strings = strings_for(repo, lang)
    review = {}
    for key in frontmatter.DATE_FIELDS:
        value = frontmatter.as_date(meta.get(key))
        if value:
            review[key] = {"iso": value.isoformat(), "text": long_date(value, lang)}
    evidence = meta.get("evidence")
    reviewed = frontmatter.as_date(meta.get("last_reviewed"))
    where = prefix(lang, default)
    guide = {
        "links": {name: relative(where + target, page_url) for name, target in LINKS.items()},
        "lang": lang,
        "t": strings,
        "review": review,
        "evidence": evidence if evidence in frontmatter.EVIDENCE_LEVELS else None,
        "cite": cite_this_page(title or site_name, site_name, url, reviewed, lang, strings),
        "is_fallback": bool(file_lang) and file_lang != lang,
        "exit": exit_button(lang, site_url),
        "body": split_body(body),
    }
    if reviewed:
        guide["jsonld"] = jsonld_body(
            title or site_name, url, file_lang or lang, reviewed, meta, site_name, site_url, cited
        )
    return guide


def jsonld_body(name, url, lang, reviewed: dt.date, meta, site_name, site_url, cited) -> str:
    # An untranslated page shown in a language build is still in its own language.
    return jsonld.script_body(
        jsonld.medical_web_page(
            name=name,
            url=url,
            lang=lang,
            last_reviewed=reviewed,
            description=meta.get("description"),
            site_name=site_name,
            site_url=site_url,
            cited=cited or [],
        )
    )


def not_found(*, repo: str, lang: str, default: str, languages: list, site_url: str | None):
    """The furniture of a language's 404 page (a template, not a page: absolute links)."""
    base = urlsplit(site_url or "/").path or "/"
    where = prefix(lang, default)
    return {
        "lang": lang,
        "t": strings_for(repo, lang),
        "links": {name: base + where + target for name, target in LINKS.items()},
        "review": {},
        "evidence": None,
        "is_fallback": False,
        "exit": exit_button(lang, site_url),
        "not_found": {"base": base, "languages": languages},
    }
