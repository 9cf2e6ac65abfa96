"""The real site: every language builds strictly and carries the page furniture."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import LANGS, ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import glossary  # noqa: E402

CONTENT_PAGES = [p for p in (ROOT / "docs" / "en").rglob("*.md")]


def lang_of(rel: str) -> str:
    first = rel.split("/", 1)[0]
    return first if first in LANGS[1:] else "en"


def page_rel(md: Path, lang: str) -> str:
    rel = md.relative_to(ROOT / "docs" / "en").with_suffix("")
    out = "index.html" if rel.name == "index" else f"{rel.name}/index.html"
    path = str(rel.parent / out) if str(rel.parent) != "." else out
    return path if lang == "en" else f"{lang}/{path}"


def test_every_language_builds_the_same_page_set(site):
    for lang in LANGS:
        for md in CONTENT_PAGES:
            assert (site / page_rel(md, lang)).is_file(), f"{lang}: {md} was not built"


def test_every_page_has_review_metadata(html_pages):
    for rel, html in html_pages.items():
        if rel.endswith("404.html"):
            continue
        tree = HTMLParser(html)
        meta = tree.css_first('meta[name="last-reviewed"]')
        assert meta is not None, f"{rel}: no last-reviewed meta"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.attributes["content"])
        times = tree.css("footer.guide-review time[datetime]")
        assert len(times) == 2, f"{rel}: review box lacks its two <time> elements"


def test_review_dates_are_written_in_the_page_language(html_pages):
    assert "26 November 2026" in html_pages["index.html"]
    assert "26 de noviembre de 2026" in html_pages["es/index.html"]
    assert "26. November 2026" in html_pages["de/index.html"]


def test_html_lang_matches_the_language_folder(html_pages):
    for rel, html in html_pages.items():
        tag = HTMLParser(html).css_first("html")
        assert tag.attributes.get("lang") == lang_of(rel), rel


def test_fallback_notice_only_on_untranslated_pages(site):
    for lang in LANGS[1:]:
        for md in CONTENT_PAGES:
            translated = (ROOT / "docs" / lang / md.relative_to(ROOT / "docs" / "en")).exists()
            html = (site / page_rel(md, lang)).read_text(encoding="utf-8")
            has_notice = "guide-fallback" in html
            assert has_notice != translated, f"{lang}/{md.name}: translated={translated}"
    for md in CONTENT_PAGES:
        assert "guide-fallback" not in (site / page_rel(md, "en")).read_text(encoding="utf-8")


def test_emergency_link_on_every_page_in_its_language(html_pages, site):
    for rel, html in html_pages.items():
        link = HTMLParser(html).css_first("a.guide-emergency")
        assert link is not None, f"{rel}: no emergency link"
        href = link.attributes["href"]
        if href.startswith("/"):  # the 404 page is served at any depth: absolute links
            target = site / href.lstrip("/") / "index.html"
        else:
            target = (site / rel).parent / href / "index.html"
        assert target.resolve().is_file(), f"{rel}: emergency link is broken"
        lang = lang_of(rel)
        expected = site / ("" if lang == LANGS[0] else lang) / "emergency"
        assert target.resolve().parent == expected.resolve(), rel


THIRD_PARTY_HINTS = (
    "fonts.googleapis",
    "fonts.gstatic",
    "cdn.jsdelivr",
    "unpkg.com",
    "cdnjs.cloudflare",
    "google-analytics",
    "googletagmanager",
)
LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
}


def test_no_third_party_resources(site, html_pages):
    for rel, html in html_pages.items():
        tree = HTMLParser(html)
        for tag, attr in LOADING.items():
            for node in tree.css(f"{tag}[{attr}]"):
                assert not urlparse(node.attributes[attr]).netloc, f"{rel}: {tag} {attr}"
        for node in tree.css("link[href]"):
            rel_attr = (node.attributes.get("rel") or "").lower()
            if {"canonical", "alternate"} & set(rel_attr.split()):
                continue  # navigation metadata, not a request
            href = node.attributes["href"]
            assert not urlparse(href).netloc, f"{rel}: <link rel={rel_attr}> to {href}"
    # Material's JS bundle names a CDN for Mermaid, used only on pages with diagrams (none
    # here); whether any request leaves the origin is proved in the browser tests.
    for path in list(site.rglob("*.css")) + list(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for hint in THIRD_PARTY_HINTS:
            assert hint not in text, f"{path.relative_to(site)} mentions {hint}"
        if path.suffix == ".css":
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(
                r"@import\s+['\"]([^'\"]+)", text
            ):
                assert not urlparse(url).netloc or url.startswith("data:"), f"{path}: {url}"


def test_cite_this_page_on_every_page(html_pages):
    for rel, html in html_pages.items():
        if rel.endswith("404.html"):
            continue
        block = HTMLParser(html).css_first("details.guide-cite")
        assert block is not None, rel
        plain, bibtex = (node.text() for node in block.css("pre code"))
        assert "http://127.0.0.1:8000/" in plain and "@misc{mdmaguide-" in bibtex


def test_glossary_tooltips_on_content_pages(html_pages):
    for rel in (
        "neurochemistry/how-mdma-acts/index.html",
        "es/risks/interactions/index.html",
        "de/research/mapp1-and-mapp2/index.html",
    ):
        abbrs = HTMLParser(html_pages[rel]).css("article abbr[title]")
        assert len(abbrs) >= 3, rel
    glossary = HTMLParser(html_pages["es/glossary/index.html"])
    assert len(glossary.css("dl.glossary dt[id]")) >= 50


def test_translation_status_page_shows_no_gaps(html_pages):
    for lang in LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        html = html_pages[f"{prefix}about/translation-status/index.html"]
        cells = HTMLParser(html).css("table.translation-status td[data-sort]")
        assert cells and all(c.attributes["data-sort"] == "ok" for c in cells), lang


def test_every_content_page_opens_with_key_points(html_pages):
    for rel, html in html_pages.items():
        if "404" in rel or not HTMLParser(html).css_first('meta[name="last-reviewed"]'):
            continue
        tree = HTMLParser(html)
        graded = tree.css_first(".guide-evidence strong")
        if graded is not None and tree.css_first(".guide-evidence--not-graded") is None:
            assert tree.css_first("article .admonition.key-points"), rel


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_is_in_alphabetical_order_whatever_the_accents(site, lang):
    """The Glossary page lists terms as a dictionary of the language would: an accented
    initial (French étude, événement) sorts with its letter, not after z."""
    folder = site if lang == LANGS[0] else site / lang
    html = (folder / "glossary" / "index.html").read_text(encoding="utf-8")
    terms = [t.text() for t in HTMLParser(html).css("dl.glossary > dt")]
    assert len(terms) > 50
    assert terms == sorted(terms, key=glossary.sort_key), lang
    bare = [glossary.sort_key(t)[0][:1] for t in terms]
    assert bare == sorted(bare), lang
