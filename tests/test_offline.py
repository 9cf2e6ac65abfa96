"""The offline copies (scripts/mdma_guide/offline.py, `make offline`): one zip per language,
every link and asset rewritten to work from file://, search from a local script.

The browser test that opens a copy from file:// is in tests/test_browser.py
(test_offline_copy_works_from_file_with_no_network).
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
import zipfile

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from mdma_guide.csp import policy_for  # noqa: E402
from mdma_guide.offline import (  # noqa: E402
    SEARCH_INDEX,
    SEARCH_SCRIPT,
    Language,
    Rewriter,
    render_download_links,
    resolve,
    search_index_js,
    zip_name,
)
from mdma_guide.project import load_project  # noqa: E402

LANGUAGES = ("en", "es", "de")
SITE_URL = "https://example.org/guide/"
FILES = {
    "index.html",
    "about/index.html",
    "risks/index.html",
    "glossary/index.html",
    "es/index.html",
    "es/about/index.html",
    "es/risks/index.html",
    "de/about/index.html",
    "assets/stylesheets/main.css",
    "assets/javascripts/bundle.js",
    "assets/javascripts/lazy-search.js",
    "assets/images/favicon.svg",
}


def rewriter(lang: str) -> Rewriter:
    return Rewriter(Language(lang, LANGUAGES, SITE_URL), FILES.__contains__)


@pytest.mark.parametrize(
    "url, page, expected",
    [
        ("../risks/", "about/index.html", ("risks/", "")),
        ("./", "about/index.html", ("about/", "")),
        ("../", "about/index.html", ("", "")),
        ("../../assets/x.css?v=1", "es/about/index.html", ("assets/x.css", "?v=1")),
        ("editorial-policy/#review", "about/index.html", ("about/editorial-policy/", "#review")),
        ("/guide/es/about/", "index.html", ("es/about/", "")),
        ("/elsewhere/", "index.html", None),
        ("#top", "about/index.html", None),
        ("https://example.com/", "about/index.html", None),
        ("mailto:a@example.org", "about/index.html", None),
        ("data:image/svg+xml,x", "about/index.html", None),
        ("../../../outside", "about/index.html", None),
    ],
)
def test_resolve_finds_the_site_path(url, page, expected):
    assert resolve(url, page, "/guide/") == expected


@pytest.mark.parametrize(
    "lang, page, url, expected, online",
    [
        # Directory links name their index.html; fragments and queries stay.
        ("en", "about/index.html", "../risks/", "../risks/index.html", False),
        ("en", "about/index.html", "./", "index.html", False),
        ("en", "about/index.html", "../#start", "../index.html#start", False),
        ("en", "index.html", "glossary/", "glossary/index.html", False),
        ("en", "index.html", ".", "index.html", False),
        # Shared assets keep their place at the copy's root.
        ("en", "about/index.html", "../assets/stylesheets/main.css", None, False),
        # Root-relative (with the site's base path) becomes relative.
        ("en", "about/index.html", "/guide/risks/", "../risks/index.html", False),
        # Another language's page: the online address.
        ("en", "about/index.html", "../es/about/", SITE_URL + "es/about/", True),
        ("en", "about/index.html", "../de/about/#x", SITE_URL + "de/about/#x", True),
        # A file not in the site (say, the zips themselves): the online address.
        ("en", "about/index.html", "../downloads/a.zip", SITE_URL + "downloads/a.zip", True),
        # Spanish, re-rooted: es/about/ is about/ in its copy, the assets one level up less.
        ("es", "es/about/index.html", "../risks/", "../risks/index.html", False),
        ("es", "es/about/index.html", "../", "../index.html", False),
        ("es", "es/about/index.html", "../../assets/images/favicon.svg", None, False),
        ("es", "es/index.html", "../assets/javascripts/bundle.js", None, False),
        ("es", "es/about/index.html", "../../about/", SITE_URL + "about/", True),
        ("es", "es/about/index.html", "../../de/about/", SITE_URL + "de/about/", True),
        # Not rewritten: other sites, fragments.
        ("es", "es/about/index.html", "https://example.com/x", "https://example.com/x", False),
        ("es", "es/about/index.html", "#top", "#top", False),
    ],
)
def test_links_and_assets_are_rewritten_for_file_urls(lang, page, url, expected, online):
    rw = rewriter(lang)
    new, went_online = rw.rewrite_url(url, page)
    if expected is None:  # an asset: relative from the page's place in the copy
        target = resolve(url, page, "/guide/")[0]
        zpage = page.removeprefix("es/") if lang == "es" else page
        assert new == posixpath.relpath(target, posixpath.dirname(zpage) or ".")
        assert target in rw.assets
    else:
        assert new == expected
    assert went_online is online


PAGE = """<!doctype html>
<html lang="es"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'sha256-old'">
<link rel="canonical" href="https://example.org/guide/es/about/">
<link rel=" alternate" href="https://example.org/guide/about/" hreflang="en">
<link rel="stylesheet" href="../../assets/stylesheets/main.css">
<script>__md_scope=new URL("../..",location),__md_get=1</script>
<script src="../../assets/javascripts/lazy-search.js"></script>
</head><body>
<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">
<div class="guide-exit" data-guide-exit data-root="/guide/"></div>
<a href="../../about/" hreflang="en" class="md-select__link">English</a>
<a href="./" hreflang="es" class="md-select__link">Español</a>
<div class="md-search" data-md-component="search"><form class="md-search__form" name="search">
<input class="md-search__input"></form></div>
<a href="../risks/#dose">dose</a>
<script id="__config" type="application/json">{"base": "..", "search": "../../w.js"}</script>
<script src="../../assets/javascripts/bundle.js"></script>
</body></html>"""


def test_a_page_is_rewritten_for_its_offline_copy():
    rw = rewriter("es")
    html = rw.rewrite_page(PAGE, "es/about/index.html")
    tree = LexborHTMLParser(html)
    srcs = [n.attributes["src"] for n in tree.css("script[src]")]
    assert srcs == ["../assets/javascripts/bundle.js", "../" + SEARCH_SCRIPT]
    search = tree.css_first(f'script[src="../{SEARCH_SCRIPT}"]')
    assert search.attributes["data-index"] == "../" + SEARCH_INDEX
    assert search.attributes["data-root"] == "../"
    assert SEARCH_SCRIPT in rw.assets
    # Material's search stays unmounted; the worker's address is gone from its configuration.
    assert not tree.css('[data-md-component="search"]') and not tree.css('form[name="search"]')
    assert tree.css("[data-guide-offline-search]")
    config = json.loads(tree.css_first("script#__config").text())
    assert config == {"base": ".."}
    # Material's storage scope is the copy's root.
    assert '__md_scope=new URL("../",location)' in html
    assert tree.css_first("[data-guide-exit]").attributes["data-root"] == ""
    # Links to the online pages: canonical and alternates go, the switcher says "online".
    assert not tree.css("link[rel=canonical]") and not tree.css("link[hreflang]")
    english = tree.css_first("a[hreflang=en]")
    assert english.attributes["href"] == SITE_URL + "about/"
    assert "(en línea)" in english.text() and english.attributes["title"]
    assert tree.css_first("a[hreflang=es]").attributes["href"] == "index.html"
    assert tree.css_first("a[href^='../risks']").attributes["href"] == "../risks/index.html#dose"
    # One CSP, recomputed for the rewritten inline scripts.
    metas = tree.css('meta[http-equiv="Content-Security-Policy"]')
    assert len(metas) == 1 and "sha256-old" not in metas[0].attributes["content"]
    assert metas[0].attributes["content"] == policy_for(html)
    assert "unsafe-inline" not in html and "*" not in metas[0].attributes["content"]


def test_the_search_index_becomes_a_script_without_markup():
    index = json.dumps(
        {
            "config": {"lang": ["es"]},
            "docs": [
                {
                    "location": "about/#x",
                    "title": "A <code>b</code>",
                    "text": "<p>Uno</p> <p>dos</p>",
                }
            ],
        }
    )
    script = search_index_js(index)
    assert script.startswith("window.__guideOfflineIndex = ")
    data = json.loads(script.removeprefix("window.__guideOfflineIndex = ").rstrip().rstrip(";"))
    assert data == {"docs": [{"location": "about/#x", "title": "A b", "text": "Uno dos"}]}


def test_download_links_point_at_the_published_zip():
    html = '<p><a href="offline-copy:es">Descargue</a> <a href="offline-copy.md">x</a></p>'
    out = render_download_links(html, SITE_URL)
    assert f'href="{SITE_URL}downloads/{zip_name("es")}"' in out
    assert 'href="offline-copy.md"' in out


def test_make_offline_writes_one_zip_per_language(offline_zips):
    languages = load_project(ROOT).languages
    assert sorted(offline_zips) == sorted(languages)
    for lang, path in offline_zips.items():
        assert path.name == zip_name(lang)
        top = path.stem
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            assert all(n.startswith(f"{top}/") for n in names)
            files = {n.removeprefix(f"{top}/") for n in names}
            assert {"index.html", "glossary/index.html", SEARCH_INDEX, SEARCH_SCRIPT} <= files
            assert not any(f.split("/")[0] in languages for f in files), "another language"
            assert not any(f.endswith((".map", "search_index.json", "404.html")) for f in files)
            pages = sorted(f for f in files if f.endswith(".html"))
            assert len(pages) == len(load_project(ROOT).pages("en"))
            for page in pages:
                html = archive.read(f"{top}/{page}").decode("utf-8")
                assert re.search(rf'<html lang="{lang}"', html), page
                tree = LexborHTMLParser(html)
                scripts = [n.attributes["src"] for n in tree.css("script[src]")]
                assert not [s for s in scripts if "lazy-search" in s or "workers/" in s], page
                assert scripts[-1].endswith(SEARCH_SCRIPT), page
                for node in tree.css("[href], [src]"):
                    url = node.attributes.get("href") or node.attributes.get("src") or ""
                    if re.match(r"[a-z][a-z0-9+.-]*:|#", url) or not url:
                        continue
                    assert not url.startswith("/"), f"{page}: {url}"
                    path_part = url.split("#")[0].split("?")[0]
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path_part))
                    assert target in files, f"{lang} {page}: {url} is not in the copy"
