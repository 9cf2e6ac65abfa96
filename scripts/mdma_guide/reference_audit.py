"""Faults a formatted reference can show a reader, found by reading the output.

Used by ``scripts/audit_references.py`` (every entry, every language) and by the tests over
the built site. Each check names a fault class, not an entry: a new entry with the same
shape is caught too.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from babel.dates import get_month_names
from citeproc.frontend import CitationStylesLocale

from . import bibliography
from .strings import date_locale, locale_settings

SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
TAG = re.compile(r"<[^>]+>")
# Hosts a public reference must not point to: staging, test and preview copies of a site.
STAGING_HOST = re.compile(
    r"(^|[.-])(staging|stage|test|testing|dev|preview|uat|qa|sandbox|sdp\d*)([.-]|$)"
    r"|^app\.production\.|^localhost$"
)
EMPTY_PART = re.compile(r"\(\s*\)|;\s*\(|\(\s*[;:,]|[;:,]\s*[.;:,]|\.\s*[.,;:]|\?\.|!\.")
# CSL terms the AMA style prints, with the case and punctuation it prints them in.
TERMS = (
    ("accessed", None, True, ""),
    ("advance-online-publication", None, True, ""),
    ("retrieved", None, True, ""),
    ("in", None, True, ":"),
    ("editor", "short", False, ""),
    ("presented at", None, False, ""),
    ("preprint", None, True, ""),
    *((f"month-{m:02d}", None, False, "") for m in range(1, 13)),
    *((f"month-{m:02d}", "short", False, "") for m in range(1, 13)),
)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", TAG.sub("", html)).strip()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def repeated_sentences(text: str) -> list[str]:
    """Sentences (of two words or more) said twice in one reference or page citation."""
    seen: set[str] = set()
    repeated = []
    for sentence in sentences(text):
        key = sentence.rstrip(".").casefold()
        if len(key.split()) < 2 and len(key) < 12:
            continue
        if key in seen and sentence not in repeated:
            repeated.append(sentence)
        seen.add(key)
    return repeated


def _term(lang: str, name: str, form: str | None) -> str:
    style = bibliography._style(locale_settings(lang)["citations"])
    return _text(style.root.get_term(name, form))


def _text(term) -> str:
    """A term's (singular) wording, read from the locale XML."""
    if term is None:
        return ""
    single = term.find("{http://purl.org/net/xbiblio/csl}single")
    return ((single.text if single is not None else term.text) or "").strip()


@lru_cache(maxsize=1)
def _english_locale_file():
    return CitationStylesLocale("en-US", validate=False).root


def _english(name: str, form: str | None) -> set[str]:
    """The term as the English rendering prints it, and as the English locale file has it
    (what a language without its own wording falls back to)."""
    forms = {_term("en", name, form)}
    with contextlib.suppress(IndexError):
        forms.add(_text(_english_locale_file().get_term(name, form)))
    return {f for f in forms if f}


def _same_word(english: str, lang: str, name: str, form: str | None) -> bool:
    """Words a language legitimately shares with English: month names as CLDR (babel) has
    them ('August' in German), short abbreviations ('ed.' in Spanish), a loanword inside the
    language's own wording ('preprint'). A phrase such as
    'Advance online publication' is never the same in another language."""
    if name.startswith("month-"):
        width = "abbreviated" if form == "short" else "wide"
        month = get_month_names(width, locale=date_locale(lang))[int(name[-2:])]
        return english.rstrip(".").casefold() == month.rstrip(".").casefold()
    own = _term(lang, name, form).casefold()
    if len(english.split()) == 1 and english.casefold() in own.split():
        return True  # 'preprint' in 'preprint publicado en línea'
    return len(english) <= 4 and english.casefold() == own


def untranslated_terms(lang: str) -> list[str]:
    """The English wording of every term the style prints, unless ``lang`` shares it."""
    out = []
    for name, form, capitalize, suffix in TERMS:
        for english in sorted(_english(name, form)):
            if _same_word(english, lang, name, form):
                continue
            if capitalize:
                english = english[:1].upper() + english[1:]
            if english + suffix not in out:
                out.append(english + suffix)
    return out


def term_pattern(term: str) -> re.Pattern:
    """``term`` as a word: 'Aug' must not match German 'Aug.', 'Mar' not 'Martin'."""
    tail = "" if term[-1:] in ".:" else r"(?![\w.])"
    flags = re.IGNORECASE if len(term) >= 6 else 0
    return re.compile(r"(?<!\w)" + re.escape(term) + tail, flags)


def entry_words(entry: dict) -> list[str]:
    """Text the entry brings from its source (titles, names), where English is expected."""
    words = [entry.get(k, "") for k in ("title", "container-title", "publisher", "note")]
    words += [n.get("literal", "") for role in ("author", "editor") for n in entry.get(role, [])]
    return [str(w) for w in words if w]


def without_source_text(text: str, entry: dict) -> str:
    for words in sorted(entry_words(entry), key=len, reverse=True):
        # Case-blind: the style may title-case a report's title. A closing '?' or '!' stays,
        # so a period printed after it is still seen.
        end = words[-1] if words[-1] in "?!" else ""
        text = re.sub(re.escape(words), "…" + end, text, flags=re.IGNORECASE)
    return text


def faults(entry: dict, html: str, lang: str = "en") -> list[str]:
    """Every fault class ``entry`` shows when formatted as ``html`` for ``lang``."""
    text = plain(html)
    found = [f"repeated sentence: {s!r}" for s in repeated_sentences(text)]
    kind = entry.get("type")
    if kind == "article-journal" and not entry.get("author"):
        found.append("journal article without authors")
    if kind in ("article-journal", "article-newspaper", "chapter") and not entry.get(
        "container-title"
    ):
        found.append("no container-title")
    if entry.get("issue") and not entry.get("volume") and kind == "article-journal":
        found.append("issue without volume")
    online = _term(lang, "advance-online-publication", None)
    if online and online.casefold() in text.casefold():
        date = (entry.get("issued") or {}).get("date-parts", [[]])[0]
        if entry.get("page") or len(date) < 2:
            found.append("'published online' with pages or a bare year (a print issue?)")
    if entry.get("editor") and not entry.get("author"):
        found.append("editor printed in the authors' place")
    host = urlsplit(str(entry.get("URL", ""))).hostname or ""
    if STAGING_HOST.search(host):
        found.append(f"URL on a staging/test host: {host}")
    outside = without_source_text(text, entry)
    for match in EMPTY_PART.finditer(re.sub(r"https?://\S+", " ", outside)):
        found.append(f"empty part or doubled punctuation: {match.group(0)!r}")
    if lang != "en":
        for term in untranslated_terms(lang):
            if term_pattern(term).search(outside):
                found.append(f"untranslated term: {term!r}")
    return found
