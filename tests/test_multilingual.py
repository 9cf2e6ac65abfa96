"""Multilingual behaviour measured on the real build: search, 404, hreflang, switcher."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from conftest import LANGS
from selectolax.lexbor import LexborHTMLParser as HTMLParser

SITE_URL = "http://127.0.0.1:8000/"


def config_of(html: str) -> dict:
    return json.loads(HTMLParser(html).css_first("script#__config").text())


def test_each_language_has_its_own_search_index(site):
    for lang in LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        index = json.loads((site / prefix / "search" / "search_index.json").read_text())
        # the stemmer's code: lunr-languages has pt, not pt-BR
        assert index["config"]["lang"] == [lang.split("-")[0].lower()]
        assert index["docs"], lang
        for doc in index["docs"]:
            page = doc["location"].split("#")[0]
            assert not page.startswith(tuple(f"{code}/" for code in LANGS[1:])), doc["location"]
            target = site / prefix / page / "index.html" if page else site / prefix / "index.html"
            assert target.is_file(), f"{lang}: {doc['location']}"


def test_each_search_index_stems_and_carries_the_readers_words(site):
    """Stemmer and stop words of the index's language; front matter keywords and glossary
    aliases in the page's first entry (scripts/mdma_guide/search.py)."""
    keywords = {}
    for lang in LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        index = json.loads((site / prefix / "search" / "search_index.json").read_text())
        assert {"stemmer", "stopWordFilter"} <= set(index["config"]["pipeline"]), lang
        fields = index["config"]["fields"]
        assert fields["title"]["boost"] > fields["keywords"]["boost"] > fields["text"]["boost"]
        keywords[lang] = {d["location"]: d.get("keywords", "") for d in index["docs"]}
    assert "Holanda" in keywords["es"]["legality/by-country/"]
    assert "Mandelkern" in keywords["de"]["neurochemistry/brain-imaging/"]


def test_pages_load_the_index_of_their_language(site):
    for rel, root in (
        ("es/risks/index.html", "es"),
        ("de/index.html", "de"),
        ("risks/index.html", ""),
    ):
        page = site / rel
        base = config_of(page.read_text(encoding="utf-8"))["base"]
        assert (page.parent / base).resolve() == (site / root).resolve(), rel


def test_404_page_in_each_language(site):
    for lang in LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        tree = HTMLParser((site / prefix / "404.html").read_text(encoding="utf-8"))
        assert tree.css_first("html").attributes["lang"] == lang
        emergency = tree.css_first("a.guide-emergency").attributes["href"]
        assert emergency == f"/{prefix}emergency/"
        assert (site / emergency.lstrip("/") / "index.html").is_file()
        meta = tree.css_first('meta[name="guide-404"]')
        assert meta.attributes["content"] == " ".join(LANGS)


def test_hreflang_absolute_with_x_default_and_matching_sitemap(site, html_pages):
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    in_sitemap = {}
    for url in sitemap.findall("s:url", ns):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert links.get("x-default") == links.get("en"), url.find("s:loc", ns).text
        in_sitemap[url.find("s:loc", ns).text] = links
    for rel, html in html_pages.items():
        if rel.endswith("404.html"):
            continue
        alternates = {
            n.attributes["hreflang"]: n.attributes["href"]
            for n in HTMLParser(html).css("head link[hreflang]")
            if "alternate" in n.attributes["rel"].split()
        }
        assert "x-default" in alternates and "en" in alternates, rel
        for href in alternates.values():
            assert href.startswith(SITE_URL), (rel, href)
            assert href in in_sitemap or href.rstrip("/") + "/" in in_sitemap, href
        canonical = HTMLParser(html).css_first('link[rel="canonical"]').attributes["href"]
        lang = rel.split("/")[0] if rel.split("/")[0] in LANGS[1:] else "en"
        if lang in alternates:
            assert alternates[lang] == canonical, rel


def test_language_switcher_keeps_the_page(site):
    page = site / "risks" / "interactions" / "index.html"
    tree = HTMLParser(page.read_text(encoding="utf-8"))
    links = {
        a.attributes["hreflang"]: a.attributes["href"]
        for a in tree.css("a.md-select__link[hreflang]")
    }
    assert set(links) == set(LANGS)
    for lang, href in links.items():
        prefix = "" if lang == "en" else f"{lang}/"
        target = (page.parent / href).resolve()
        assert target == (site / prefix / "risks" / "interactions").resolve(), (lang, href)


def test_every_page_declares_its_language_with_its_region(html_pages):
    """``<html lang>`` is the language's own code on every page, 404 pages included: Material
    writes "pt" for pt-BR, and hyphenation, spelling and screen readers follow this tag."""
    for rel, html in html_pages.items():
        first = rel.split("/", 1)[0]
        lang = first if first in LANGS[1:] and "/" in rel else LANGS[0]
        match = re.search(r'<html lang="([^"]*)"', html)
        assert match and match.group(1) == lang, (rel, match and match.group(1))
