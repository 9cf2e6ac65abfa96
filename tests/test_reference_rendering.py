"""Reference lists and page citations as readers see them, in every language the build made.

The languages come from the built pages (``<html lang>``), not from a list here: a language
added to the site is covered by every test below without touching this file.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import bibliography, reference_audit  # noqa: E402
from mdma_guide.strings import long_date, strings_for  # noqa: E402

BIB = bibliography.load(ROOT)
DEFAULT_LANG = "en"


@pytest.fixture(scope="session")
def pages_by_lang(html_pages) -> dict[str, dict[str, HTMLParser]]:
    """Every built page, parsed, grouped by the language its ``<html lang>`` declares."""
    out: dict[str, dict[str, HTMLParser]] = {}
    for path, html in html_pages.items():
        tree = HTMLParser(html)
        root = tree.css_first("html")
        lang = root.attributes.get("lang") if root is not None else None
        if lang:
            out.setdefault(lang, {})[path] = tree
    return out


def references(tree: HTMLParser):
    """(key, reader-visible text of the formatted reference) for every list item of a
    page's reference list or of the References page; identifiers, badges and back-links
    are not part of the formatted reference."""
    for item in tree.css("ol.references > li, ul.bibliography > li"):
        ident = item.attributes.get("id") or ""
        key = ident.removeprefix("ref-")
        if key not in BIB:
            continue
        copy = HTMLParser(item.html)
        for extra in copy.css(".ref-ids, .cited-on, .status-badge"):
            extra.decompose()
        body = copy.css_first("li")
        yield key, reference_audit.plain(body.text(separator="") if body else "")


def test_languages_come_from_the_build(pages_by_lang):
    assert DEFAULT_LANG in pages_by_lang and len(pages_by_lang) >= 2, sorted(pages_by_lang)
    for lang, pages in pages_by_lang.items():
        assert any(True for tree in pages.values() for _ in references(tree)), lang


def test_no_reference_repeats_a_sentence(pages_by_lang):
    faults = [
        f"{lang} {path} {key}: {repeated}"
        for lang, pages in pages_by_lang.items()
        for path, tree in pages.items()
        for key, text in references(tree)
        if (repeated := reference_audit.repeated_sentences(text))
    ]
    assert not faults, "\n".join(sorted(set(faults))[:40])


def first_author(entry: dict) -> str | None:
    authors = entry.get("author") or []
    if not authors:
        return None
    return authors[0].get("family") or authors[0].get("literal")


def test_journal_articles_show_their_first_author(pages_by_lang):
    checked, faults = 0, []
    for lang, pages in pages_by_lang.items():
        for path, tree in pages.items():
            for key, text in references(tree):
                entry = BIB[key]
                name = first_author(entry)
                if entry.get("type") != "article-journal" or not name:
                    continue
                checked += 1
                if name not in text:
                    faults.append(f"{lang} {path} {key}: no {name!r} in {text[:90]!r}")
    assert checked, "no journal article with authors was found in the built reference lists"
    assert not faults, "\n".join(sorted(set(faults))[:40])


def test_no_untranslated_csl_terms(pages_by_lang):
    """No English wording of a term the style prints ('Accessed', 'Published online',
    'Advance online publication', 'ed.', 'Retrieved', month names...) on a page in another
    language. The English words an entry brings from its source (its title, journal,
    publisher, an organization's name) are not terms and are left out of the check."""
    faults = []
    for lang, pages in pages_by_lang.items():
        if lang == DEFAULT_LANG:
            continue
        patterns = [
            (term, reference_audit.term_pattern(term))
            for term in reference_audit.untranslated_terms(lang)
        ]
        assert any(term == "Accessed" for term, _ in patterns), patterns
        for path, tree in pages.items():
            for key, text in references(tree):
                outside = reference_audit.without_source_text(text, BIB[key])
                faults += [
                    f"{lang} {path} {key}: {term!r}"
                    for term, pattern in patterns
                    if pattern.search(outside)
                ]
    assert not faults, "\n".join(sorted(set(faults))[:40])


def test_status_badges_are_dated_like_the_prose(pages_by_lang):
    dates = {
        dt.date.fromisoformat(str(entry["status-date"]))
        for entry in BIB.entries.values()
        if entry.get("status-date")
    }
    checked, faults = 0, []
    for lang, pages in pages_by_lang.items():
        written = {long_date(day, lang) for day in dates}
        for path, tree in pages.items():
            for badge in tree.css(".status-badge"):
                checked += 1
                label = badge.text().strip()
                date = label.rsplit(", ", 1)[-1]
                if date not in written:
                    faults.append(f"{lang} {path}: {label!r} (prose writes {sorted(written)[0]!r})")
    assert checked, "no status badge in the built site"
    assert not faults, "\n".join(sorted(set(faults))[:40])


BIBTEX_NOTE = re.compile(r"note = \{(?P<note>[^}]*)\}")


def test_cite_this_page_says_each_sentence_once_in_the_page_language(pages_by_lang):
    checked, faults = 0, []
    for lang, pages in pages_by_lang.items():
        reviewed_label = strings_for(str(ROOT), lang)["last_reviewed"]
        for path, tree in pages.items():
            block = tree.css_first("details.guide-cite")
            if block is None:
                continue
            checked += 1
            plain, bibtex = (node.text() for node in block.css("pre code"))
            repeated = reference_audit.repeated_sentences(plain)
            if repeated:
                faults.append(f"{lang} {path}: plain citation repeats {repeated}")
            note = BIBTEX_NOTE.search(bibtex)
            if note is None:
                continue
            time = tree.css_first("footer.guide-review time")
            expected = reviewed_label
            if time is not None and time.attributes.get("datetime"):
                day = dt.date.fromisoformat(time.attributes["datetime"])
                expected = f"{reviewed_label} {long_date(day, lang)}"
            if not note["note"].startswith(expected):
                faults.append(f"{lang} {path}: BibTeX note {note['note']!r}, expected {expected!r}")
    assert checked, "no page offers 'cite this page'"
    assert not faults, "\n".join(sorted(set(faults))[:40])
