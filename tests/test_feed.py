"""The Atom feed of each language's changelog: valid, in the page's language, announced."""

from __future__ import annotations

import re
import sys

import feedparser
import pytest
from conftest import LANGS, ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import feed  # noqa: E402


def changelog_dates(lang):
    text = (ROOT / "docs" / lang / feed.CHANGELOG).read_text(encoding="utf-8")
    return re.findall(r"^## .*\{ #(\d{4}-\d{2}-\d{2}) \}", text, flags=re.M)


def feed_path(site, lang):
    return site / ("" if lang == "en" else lang) / feed.FEED_FILE


@pytest.mark.parametrize("lang", LANGS)
def test_feed_parses_and_lists_every_dated_section(site, lang):
    raw = feed_path(site, lang).read_text(encoding="utf-8")
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert re.search(rf'<feed [^>]*xml:lang="{lang}"', raw)
    assert parsed.feed.language == lang
    assert parsed.feed.title and parsed.feed.author and parsed.feed.updated
    prefix = "" if lang == "en" else f"{lang}/"
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links and self_links[0].endswith(f"/{prefix}feed.xml")
    dates = changelog_dates(lang)
    text = (ROOT / "docs" / lang / feed.CHANGELOG).read_text(encoding="utf-8")
    # One entry per change (each bullet of a dated section), newest section first.
    bullets = sum(len(feed.changes(s.body)) for s in feed.sections(text))
    assert len(dates) >= 2 and len(parsed.entries) == bullets >= 3
    ids = [entry.id for entry in parsed.entries]
    assert len(set(ids)) == len(ids)
    for entry in parsed.entries:
        date = entry.updated[:10]
        assert date in dates
        assert entry.link.endswith(f"/{prefix}about/changelog/#{date}")
        assert entry.id.startswith(entry.link + "-")
        assert entry.content[0].value
        # every link in the content is absolute
        assert not re.search(r'href="(?!https?://)', entry.content[0].value)
    related = [link.href for link in parsed.entries[0].links if link.rel == "related"]
    assert related and all(u.startswith("http") and u.endswith("/") for u in related)


def test_entry_titles_are_localized(site):
    titles = {
        lang: feedparser.parse(feed_path(site, lang).read_bytes()).entries[-1].title
        for lang in LANGS
    }
    assert titles["en"].startswith("Changes on 26 November 2026")
    assert titles["es"].startswith("Cambios del 26 de noviembre de 2026")
    assert titles["de"].startswith("Änderungen vom 26. November 2026")


def test_every_page_head_announces_its_language_feed(site, html_pages):
    for rel, html in html_pages.items():
        if rel.endswith("404.html"):
            continue
        lang = rel.split("/", 1)[0] if rel.split("/", 1)[0] in LANGS[1:] else LANGS[0]
        links = HTMLParser(html).css('head link[type="application/atom+xml"]')
        assert len(links) == 1, rel
        link = links[0].attributes
        # " alternate": Material's exact [rel=alternate] lookup would fetch a sitemap
        assert link["rel"].split() == ["alternate"] and link["rel"] != "alternate", rel
        target = (site / rel).parent / link["href"]
        assert target.resolve() == feed_path(site, lang).resolve(), rel


@pytest.mark.parametrize("lang", LANGS)
def test_changelog_page_offers_a_subscribe_link(site, lang):
    page = site / ("" if lang == "en" else lang) / "about" / "changelog" / "index.html"
    link = HTMLParser(page.read_text(encoding="utf-8")).css_first("p.guide-feed a")
    assert link is not None
    assert (page.parent / link.attributes["href"]).resolve() == feed_path(site, lang).resolve()


def test_sections_and_links_from_markdown():
    text = (
        "# Changelog\n\n## 2 January 2027 { #2027-01-02 }\n\n- [A](../risks/index.md): x.\n"
        "- [B](editorial-policy.md#scope) and [C](https://example.org/).\n\n"
        "## 1 January 2027 { #2027-01-01 }\n\n- First.\n"
    )
    xml = feed.build(
        text,
        lang="en",
        base="https://example.net/",
        site_name="Guide",
        feed_title="Guide: changes",
        entry_title=lambda d: f"Changes on {d.isoformat()}",
    )
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    ids = [e.id for e in parsed.entries]
    assert ids[:2] == [
        "https://example.net/about/changelog/#2027-01-02-risks",
        "https://example.net/about/changelog/#2027-01-02-about-editorial-policy",
    ]
    assert ids[2].startswith("https://example.net/about/changelog/#2027-01-01-")  # text hash
    assert [e.title for e in parsed.entries][:2] == [
        "Changes on 2027-01-02: A",
        "Changes on 2027-01-02: B",
    ]
    assert 'href="https://example.net/risks/"' in parsed.entries[0].content[0].value
    content = parsed.entries[1].content[0].value
    assert 'href="https://example.net/about/editorial-policy/#scope"' in content
    assert 'href="https://example.org/"' in content
    related = [link.href for link in parsed.entries[1].links if link.rel == "related"]
    assert related == ["https://example.net/about/editorial-policy/"]
