#!/usr/bin/env python3
"""Search quality: type the editors' questions into the real search dialog, per language.

Each question (tests/fixtures/search-questions.yaml) names the pages that answer it. A query is
a hit@k when one of those pages is among the first k distinct result pages. Used by the browser
suite (tests/test_browser.py, which requires hit@3 >= 90 % per language) and by `make bench`
(scripts/bench.py), which records hit@1 and hit@3. `python scripts/search_quality.py --site DIR`
prints the table for a built site.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "fixtures" / "search-questions.yaml"
RESULT_LINKS = ".md-search-result__list a.md-search-result__link"


def load_questions(path: Path = QUESTIONS) -> dict[str, list[tuple[str, list[str]]]]:
    """{lang: [(query, [acceptable page paths])]}, paths relative to the language root."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {lang: [(str(q), list(pages)) for q, pages in rows] for lang, rows in data.items()}


def distinct_pages(hrefs: list[str], origin: str, prefix: str) -> list[str]:
    """Result links -> page paths relative to the language root, first occurrence first."""
    pages: list[str] = []
    for href in hrefs:
        path = href.split("#", 1)[0].split("?", 1)[0]  # ?h= is search.highlight's
        path = path[len(origin) + 1 :] if path.startswith(origin) else path
        path = path[len(prefix) :] if prefix and path.startswith(prefix) else path
        if path not in pages:
            pages.append(path)
    return pages


def _settled_hrefs(page, waiting: str, timeout: float = 20.0) -> list[str]:
    """The result links once the index is ready and they stop changing (the worker builds
    the index, then answers asynchronously)."""
    deadline = time.monotonic() + timeout
    last, stable = None, 0
    while time.monotonic() < deadline:
        hrefs = page.locator(RESULT_LINKS).evaluate_all("els => els.map(e => e.href)")
        meta = page.locator(".md-search-result__meta").inner_text().strip()
        stable = stable + 1 if (hrefs, meta) == last and meta != waiting else 0
        last = (hrefs, meta)
        if stable >= 3:
            return hrefs
        page.wait_for_timeout(120)
    return last[0] if last else []


def ask(page, origin: str, lang: str, default: str, query: str) -> list[str]:
    """Type one query into the search dialog of the language's home page (already open);
    return the distinct result pages in order."""
    prefix = "" if lang == default else f"{lang}/"
    meta = page.locator(".md-search-result__meta")
    box = page.locator(".md-search__input")
    if not box.is_visible():
        page.keyboard.press("/")  # Material's shortcut opens and focuses the search box
    box.focus()
    waiting = page.evaluate("window.__guideSearchWaiting") or ""
    if not waiting:  # the "initializing" text, shown until the index is built
        waiting = meta.inner_text().strip()
        page.evaluate("t => { window.__guideSearchWaiting = t }", waiting)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(query, delay=15)  # Material searches on key events, not on fill()
    return distinct_pages(_settled_hrefs(page, waiting), origin, prefix)


def evaluate(browser, origin: str, questions: dict, langs: list[str], default: str) -> dict:
    """{lang: [{query, expected, got, rank}]} for every built language with questions; rank
    is the 1-based position of the first acceptable page (0 when none in the first ten)."""
    results = {}
    for lang in langs:
        if lang not in questions:
            continue
        context = browser.new_context()
        page = context.new_page()
        prefix = "" if lang == default else f"{lang}/"
        page.goto(f"{origin}/{prefix}", wait_until="networkidle")
        rows = []
        for query, expected in questions[lang]:
            got = ask(page, origin, lang, default, query)
            rank = next((i + 1 for i, p in enumerate(got) if p in expected), 0)
            rows.append({"query": query, "expected": expected, "got": got[:3], "rank": rank})
        context.close()
        results[lang] = rows
    return results


def hit_rates(rows: list[dict]) -> dict[str, float]:
    n = len(rows) or 1
    return {
        "hit1": sum(1 for r in rows if r["rank"] == 1) / n,
        "hit3": sum(1 for r in rows if 1 <= r["rank"] <= 3) / n,
    }


def table(results: dict) -> str:
    lines = []
    for lang, rows in results.items():
        rates = hit_rates(rows)
        lines.append(
            f"{lang}: hit@1 {rates['hit1']:.0%}  hit@3 {rates['hit3']:.0%}  ({len(rows)} queries)"
        )
        for r in rows:
            mark = "ok " if 1 <= r["rank"] <= 3 else "MISS"
            got = ", ".join(r["got"]) or "(nothing)"
            want = "" if mark == "ok " else f"   [want {' | '.join(r['expected'])}]"
            lines.append(f"  {mark} {r['rank'] or '-':>2}  {r['query']:<40} -> {got}{want}")
    return "\n".join(lines)


def measure(site: Path, langs: list[str], default: str, questions_file: Path = QUESTIONS) -> dict:
    """Serve SITE on 127.0.0.1, run every question in Chromium; {lang: rows}."""
    sys.path[:0] = [str(ROOT / "tests")]
    from browser import CHROMIUM, CHROMIUM_ARGS, SiteServer
    from playwright.sync_api import sync_playwright

    questions = load_questions(questions_file)
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            return evaluate(browser, server.origin, questions, langs, default)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site folder")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    args = parser.parse_args(argv)
    sys.path[:0] = [str(ROOT / "scripts")]
    from mdma_guide.project import load_project

    project = load_project(ROOT)
    langs = list(project.languages)
    print(table(measure(args.site, langs, langs[0], args.questions)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
