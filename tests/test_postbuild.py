"""The engine-neutral post-processor (scripts/postbuild.py, issue #21): what it adds to a site
another engine built, and that it changes nothing in the site MkDocs built (whose hooks
already did the same)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from conftest import ENV, LANGS, ROOT

sys.path[:0] = [str(ROOT / "scripts")]
import engines  # noqa: E402
from mdma_guide import postbuild  # noqa: E402
from mdma_guide.project import Project, load_project, site_url_of  # noqa: E402

BARE = (
    '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title>\n'
    "</head><body><script>var a=1;</script></body></html>"
)


def test_a_bare_site_gets_csp_and_alternates(tmp_path):
    docs = tmp_path / "docs"
    site = tmp_path / "site"
    for lang in LANGS:
        (docs / lang / "risks").mkdir(parents=True)
        (docs / lang / "risks" / "index.md").write_text("# R\n", encoding="utf-8")
    (docs / LANGS[0] / "only-english.md").write_text("# E\n", encoding="utf-8")
    for lang in LANGS:
        folder = site / ("" if lang == LANGS[0] else lang)
        for page in ("risks/index.html", "only-english/index.html", "404.html"):
            (folder / page).parent.mkdir(parents=True, exist_ok=True)
            (folder / page).write_text(BARE.format(lang=lang), encoding="utf-8")
    project = Project(tmp_path, tuple(LANGS), docs)
    result = postbuild.finish(site, project, "https://example.org/g/")
    assert result.csp == result.pages == 3 * len(LANGS)
    second = site / LANGS[1] / "risks" / "index.html"
    html = second.read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in html
    assert "script-src 'self' 'sha256-" in html  # the inline script hashed, not allowed wholesale
    for lang in LANGS:
        prefix = "" if lang == LANGS[0] else f"{lang}/"
        assert f'href="https://example.org/g/{prefix}risks/" hreflang="{lang}"' in html
    assert 'href="https://example.org/g/risks/" hreflang="x-default"' in html
    english_only = (site / LANGS[1] / "only-english" / "index.html").read_text(encoding="utf-8")
    assert f'hreflang="{LANGS[1]}"' not in english_only  # only where it is really translated
    assert 'hreflang="' not in (site / "404.html").read_text(encoding="utf-8")
    again = postbuild.finish(site, project, "https://example.org/g/")
    assert (again.csp, again.hreflang) == (0, 0)
    assert second.read_text(encoding="utf-8") == html


def test_it_changes_nothing_in_the_mkdocs_build(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "postbuild.py"), str(copy)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "CSP added to 0, hreflang added to 0, feed link added to 0; 0 other" in proc.stdout
    assert engines.diff_trees(site, copy) == []


def test_no_site_is_exit_2_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "postbuild.py"), str(tmp_path / "none")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 2 and "no built pages" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_prerender_applies_the_page_transforms_to_a_copy_of_the_sources(tmp_path):
    """For an engine that runs no hooks: every page of a copy of the real sources gets its
    tables, numbered citations, reference list and glossary, in its folder's language."""
    from mdma_guide import pages
    from mdma_guide.project import load_project

    copy = tmp_path / "project"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    result = pages.prerender(load_project(copy))
    assert result.problems == []
    assert result.pages == sum(1 for _ in (copy / "docs").rglob("*.md"))
    for lang in LANGS:
        trials = (copy / "docs" / lang / "research" / "trials.md").read_text(encoding="utf-8")
        assert trials.startswith("---\n") and "last_reviewed:" in trials  # front matter kept
        assert "[[data:" not in trials and 'id="table-trials"' in trials
        assert "[@" not in trials and '<sup class="cite">' in trials
        assert '<ol class="references">' in trials
        refs = (copy / "docs" / lang / "references" / "index.md").read_text(encoding="utf-8")
        assert "[[bibliography]]" not in refs and 'href="https://doi.org/' in refs
    # the source tree itself is untouched
    assert "[[data:trials]]" in (ROOT / "docs" / "en" / "research" / "trials.md").read_text(
        encoding="utf-8"
    )


def _unfinished(site, copy):
    """A copy of the MkDocs build as an engine without the hooks leaves it: no feeds, no open
    data, Material's one search index of every language (untuned), no sitemap x-default."""
    import json

    from mdma_guide import search

    shutil.copytree(site, copy)
    for lang in LANGS:
        prefix = "" if lang == LANGS[0] else f"{lang}/"
        (copy / prefix / "feed.xml").unlink()
        if prefix:
            (copy / prefix / "sitemap.xml").unlink()
    shutil.rmtree(copy / "data")
    combined = None
    for lang in LANGS:
        prefix = "" if lang == LANGS[0] else f"{lang}/"
        path = copy / prefix / "search" / "search_index.json"
        part = json.loads(path.read_text(encoding="utf-8"))
        if combined is None:
            combined = {**part, "config": {**part["config"], "pipeline": ["stopWordFilter"]}}
            combined["config"]["lang"] = list(LANGS)
            combined["docs"] = []
        for doc in part["docs"]:
            doc = {k: v for k, v in doc.items() if k != "keywords"}
            if doc.get("boost") == search.DIGEST_WEIGHT:
                del doc["boost"]
            combined["docs"].append({**doc, "location": prefix + doc["location"]})
        if prefix:
            path.unlink()
    (copy / "search" / "search_index.json").write_text(json.dumps(combined), encoding="utf-8")
    sitemap = (copy / "sitemap.xml").read_text(encoding="utf-8")
    stripped = re.sub(r'<xhtml:link[^>]*hreflang="x-default"[^>]*/>', "", sitemap)
    assert stripped != sitemap
    (copy / "sitemap.xml").write_text(stripped, encoding="utf-8")


def test_it_finishes_what_the_hooks_finish(site, tmp_path):
    """Feeds, open data, per-language tuned search indexes and the sitemap, written by the
    post-processor alone, are the bytes the MkDocs build has (where the hooks call it)."""
    copy = tmp_path / "site"
    _unfinished(site, copy)
    project = load_project(ROOT)
    url = site_url_of(ROOT) or "/"
    result = postbuild.finish(copy, project, url)
    assert result.problems == [] and "data/datapackage.json" in result.written
    assert engines.diff_trees(site, copy) == []
    assert postbuild.finish(copy, project, url).written == []  # a second run writes nothing


def test_a_page_without_the_feed_link_gets_it(tmp_path):
    site = tmp_path / "site"
    page = site / LANGS[1] / "risks" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(BARE.format(lang=LANGS[1]), encoding="utf-8")
    steps = ("feeds", "pages")
    result = postbuild.finish(site, load_project(ROOT), "https://example.org/g/", steps)
    html = page.read_text(encoding="utf-8")
    assert result.feed_links == 1
    assert 'type="application/atom+xml" href="../feed.xml"' in html
    feed = (site / LANGS[1] / "feed.xml").read_text(encoding="utf-8")
    assert f'xml:lang="{LANGS[1]}"' in feed and "https://example.org/g/" in feed
