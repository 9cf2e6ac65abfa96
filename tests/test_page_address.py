"""Printed handouts carry their own address, and the clinicians page states the real
translation state (both rendered by hooks from the build, not written by hand)."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "scripts" / "hooks")]
from mdma_guide.project import load_project, translation_states  # noqa: E402
from mdma_guide.strings import strings_for  # noqa: E402
from mdma_guide.translation_status import fallback_sentence  # noqa: E402

PROJECT = load_project(ROOT)
HANDOUTS = [p for p in PROJECT.pages(PROJECT.default) if p.startswith("clinicians/handouts/")]


def test_there_are_handouts():
    assert len(HANDOUTS) >= 4, HANDOUTS


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_every_handout_prints_its_own_address_with_its_language_prefix(site, lang):
    for page in HANDOUTS:
        url = PROJECT.url_of(lang, page)
        tree = HTMLParser((site / url / "index.html").read_text(encoding="utf-8"))
        canonical = tree.css_first('link[rel="canonical"]').attributes["href"]
        assert canonical.endswith("/" + url), (canonical, url)
        body = tree.css_first("article")
        # Inline code in the text (the cite-this-page box holds the address in <pre>).
        codes = [c.text() for c in body.css("code") if c.parent.tag != "pre"]
        addresses = [text for text in codes if "handouts/" in text]
        assert canonical in addresses, f"{url}: the sheet does not print {canonical}"
        assert set(addresses) == {canonical}, f"{url}: other addresses {addresses}"
        assert tree.css_first(".guide-print-footer").text().startswith(canonical)


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_clinicians_page_states_the_real_translation_state(site, lang):
    t = strings_for(str(ROOT), lang)["translation_status"]
    expected = fallback_sentence(translation_states(PROJECT), lang, t)
    html = (site / PROJECT.url_of(lang, "clinicians/index.md") / "index.html").read_text("utf-8")
    text = " ".join(HTMLParser(html).css_first("article").text().split())
    assert " ".join(expected.split()) in text  # spaces normalised alike (French no-break ones)


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_fallback_sentence_follows_the_state(lang):
    t = strings_for(str(ROOT), lang)["translation_status"]
    others = PROJECT.languages[1:]
    complete = {code: {"a.md": "ok", "b.md": "stale"} for code in others}
    gaps = {code: {"a.md": "missing", "b.md": "missing"} for code in others}
    none, some = fallback_sentence(complete, lang, t), fallback_sentence(gaps, lang, t)
    assert none.startswith(t["fallback_none"].split("{")[0]) and "{" not in none
    assert some.startswith(t["fallback_some"].split("{")[0]) and "{" not in some
    assert some.count("2") == len(others)
