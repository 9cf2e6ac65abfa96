"""About → Quality: the benchmark tables are in each page's language (numbers from
docs/data/benchmarks.json, written by scripts/bench.py; words from strings.yaml)."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path[:0] = [str(ROOT / "scripts")]
import bench  # noqa: E402
from mdma_guide import benchmarks  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402
from mdma_guide.strings import strings_for  # noqa: E402

PROJECT = load_project(ROOT)
DATA = benchmarks.load(ROOT)
# Table headers and section names that are the same words in every language, with the reason.
SAME = {
    "SEO": "an acronym used untranslated",
    "LCP": "a Lighthouse metric's acronym",
    "TBT": "a Lighthouse metric's acronym",
    "Gzip": "the name of a compression format",
    "Index": "German uses the same word",
    "Build": "German developers use the English word",
    "Lighthouse": "a tool's name",
    "lychee": "a tool's name",
    "LinkChecker": "a tool's name",
    "linkinator": "a tool's name",
}


# Words one language writes as English does, with the reason.
SAME_IN = {
    ("fr", "Documents"): "the same French word",
    ("fr", "Page"): "the same French word",
    ("fr", "Performance"): "the same French word",
    ("fr", "Pages ({lang})"): "French 'pages', with a language code",
}


def same_words(lang: str) -> set[str]:
    words = set(SAME)
    for (code, word), _ in SAME_IN.items():
        if code == lang:
            words |= {word.format(lang=other) for other in PROJECT.languages}
    return words


def bench_strings(lang: str) -> dict:
    return strings_for(str(ROOT), lang)["bench"]


def test_bench_writes_only_keys_the_strings_know():
    for lang in PROJECT.languages:
        t = bench_strings(lang)
        assert {f.key for f in bench.FAULTS} <= set(t["faults"]["labels"]), lang
        assert {"caught", "caught-warning", "not-caught", "error"} <= set(t["faults"]["results"])
        assert {r["tool"] for r in DATA["checkers"]} <= set(t["checkers"]["how"]), lang
        assert {r["kind"] for r in DATA["transfer"]} <= set(t["transfer"]), lang


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_rendered_tables_are_complete(lang):
    text = benchmarks.render(DATA, lang, bench_strings(lang))
    assert not re.search(r"\{[a-z_]+\}", text), "a placeholder was left unfilled"
    for block in re.findall(r"(?:^\|.*\|$\n?)+", text, re.M):
        widths = {line.count(" | ") for line in block.strip().split("\n") if "---" not in line}
        assert len(widths) == 1, block


@pytest.mark.parametrize("lang", PROJECT.languages[1:])
def test_quality_page_has_no_english_table_header_or_note(site, lang):
    """Compared with the English build of the same page: header cells and bold notes."""

    def parts(prefix: str):
        html = (site / prefix / "about/quality/index.html").read_text(encoding="utf-8")
        article = HTMLParser(html).css_first("article")
        assert "[[benchmarks]]" not in article.text()
        heads = {th.text().strip() for th in article.css("th")}
        notes = {b.text().strip().rstrip(".") for b in article.css("p > strong")}
        prose = {" ".join(p.text().split()) for p in article.css("p")}
        return heads, notes, prose

    en_heads, en_notes, en_prose = parts("")
    heads, notes, prose = parts(lang)
    assert en_heads and en_notes
    same = same_words(lang)
    assert not (en_heads & heads) - same, sorted((en_heads & heads) - same)
    assert not (en_notes & notes) - same, sorted((en_notes & notes) - same)
    assert not {p for p in en_prose & prose if len(p.split()) >= 5}
