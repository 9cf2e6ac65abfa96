"""Quick exit and JSON-LD in the built site (static checks; the browser checks are in
test_browser.py): the exit link on every page of every language, early in the page and
leading to the neutral page of its language, and every content page's schema.org data."""

from __future__ import annotations

import datetime as dt
import json
import sys

from conftest import LANGS, ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import frontmatter, jsonld  # noqa: E402
from mdma_guide.citations import keys_in  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402
from mdma_guide.quick_exit import neutral_page  # noqa: E402

PROJECT = load_project(ROOT)


def test_exit_link_on_every_page_first_in_the_page(html_pages, site):
    for rel, html in html_pages.items():
        tree = HTMLParser(html)
        lang = tree.css_first("html").attributes.get("lang")
        button = tree.css_first("a.guide-exit__button")
        assert button is not None, f"{rel}: no quick-exit button"
        assert button.attributes["href"] == neutral_page(lang), rel
        assert "noreferrer" in button.attributes.get("rel", "").split(), rel
        assert button.text(strip=True), rel
        # In a landmark (axe: region), and first after the skip link in the tab order.
        ancestors, node = [], button.parent
        while node is not None:
            ancestors.append(node.tag)
            node = node.parent
        assert "aside" in ancestors, f"{rel}: the quick exit is outside a landmark"
        focusable = [
            n
            for n in tree.css("body a[href], body button, body select, body textarea, body input")
            if "md-toggle" not in (n.attributes.get("class") or "")
            and n.attributes.get("type") != "hidden"
        ]
        first = [n for n in focusable if "md-skip" not in (n.attributes.get("class") or "")][0]
        assert first.attributes.get("class") == "guide-exit__button", f"{rel}: {first.html}"
        help_href = tree.css_first("a.guide-exit__help").attributes["href"]
        if not rel.endswith("404.html"):
            target = (site / rel).parent / help_href / "index.html"
            assert target.resolve().is_file(), f"{rel}: help link {help_href} is broken"
            prefix = "" if lang == "en" else f"{lang}/"
            assert target.resolve() == (site / prefix / "about/quick-exit/index.html").resolve()
        status = tree.css_first(".guide-exit__status")
        assert status.attributes.get("aria-live") == "polite", rel


def _page_jsonld(site, lang, page) -> dict:
    html = (site / PROJECT.url_of(lang, page) / "index.html").read_text(encoding="utf-8")
    scripts = HTMLParser(html).css('head script[type="application/ld+json"]')
    assert len(scripts) == 1, f"{lang}/{page}: {len(scripts)} JSON-LD blocks"
    return json.loads(scripts[0].text())


def test_every_content_page_has_medical_web_page_jsonld(site):
    cited_pages = 0
    for lang in LANGS:
        for page, path in PROJECT.pages(lang).items():
            source = path.read_text(encoding="utf-8")
            meta = frontmatter.split(source, page).meta
            data = _page_jsonld(site, lang, page)
            where = f"{lang}/{page}"
            assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
            assert data["lastReviewed"] == frontmatter.as_date(meta["last_reviewed"]).isoformat()
            assert data["inLanguage"] == lang, where
            assert data["name"] == meta["title"], where
            assert data["url"].endswith("/" + PROJECT.url_of(lang, page)), where
            if keys_in(source) or "[[data:" in source:
                cited_pages += 1
                ids = [work.get("@id") for work in data.get("citation", [])]
                assert ids and all(ids), f"{where}: cites works but lists no identifiers"
                assert all(i.startswith(("https://", "http://")) for i in ids), where
    assert cited_pages > 30


def test_jsonld_identifiers_and_escaping():
    entry = {"DOI": "10.1/x", "PMID": "123", "title": "A </script><!-- B & C"}
    assert jsonld.identifiers(entry) == [
        "https://doi.org/10.1/x",
        "https://pubmed.ncbi.nlm.nih.gov/123/",
    ]
    assert jsonld.identifiers({"URL": "https://example.org/law"}) == ["https://example.org/law"]
    data = jsonld.medical_web_page(
        name="T", url="https://g/x/", lang="de", last_reviewed=dt.date(2026, 12, 6), cited=[entry]
    )
    body = jsonld.script_body(data)
    assert "<" not in body and ">" not in body and "&" not in body
    back = json.loads(body)
    assert back["lastReviewed"] == "2026-12-06" and back["inLanguage"] == "de"
    assert back["citation"][0] == {"@type": "CreativeWork", "@id": "https://doi.org/10.1/x"}
    named = jsonld.medical_web_page(
        name="A </script><!-- B & C", url="https://g/x/", lang="de", last_reviewed=None
    )
    assert "<" not in jsonld.script_body(named) and "&" not in jsonld.script_body(named)
