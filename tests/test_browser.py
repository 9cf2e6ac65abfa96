"""Quality gates in a real browser (Debian's Chromium through Playwright).

For every page in every language: no request to any other origin, no cookies, no
localStorage beyond the theme's preference, no console errors, no Content-Security-Policy
violations under the policy the site ships, at most 100 kB sent by the server (gzip, as a
first visit downloads it), and no axe-core violations (every rule axe runs by default: WCAG 2.x
A and AA and best practices). The 404 pages get the same checks.
Then the behaviours readers depend on: search in the page's language, the language switcher,
dark mode, the mobile menu, keyboard access with a visible focus, and printed handouts.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, SiteServer, require_chromium
from conftest import LANGS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide.project import load_project  # noqa: E402
from mdma_guide.quick_exit import neutral_page  # noqa: E402
from search_quality import evaluate, hit_rates, load_questions, table  # noqa: E402

pytestmark = pytest.mark.browser

PROJECT = load_project(ROOT)
PAGES = [PROJECT.url_of(lang, page) for lang in LANGS for page in PROJECT.pages("en")]
AXE = (Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js").read_text()
# The 404 pages, opened at their own address (a missing path gets them with status 404).
NOT_FOUND = [f"{lang}/404.html".removeprefix("en/") for lang in LANGS]
# What a fresh browser may download for any one page: bytes on the wire, gzip as served,
# status lines and headers included (tests/browser.py's server counts them).
FIRST_VISIT_BUDGET = 100_000
LAZY_SEARCH = r"search_index\.json|/workers/search\.[0-9a-f]+\.min\.js|/lunr/"
THEME_KEYS = re.compile(r"(^|\.)__(palette|tabs|expand|search)")
COLLECT_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="session")
def server(site):
    with SiteServer(site) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context()
    ctx.add_init_script(COLLECT_CSP)
    yield ctx
    ctx.close()


def open_page(context, url):
    page = context.new_page()
    seen = {"requests": [], "console": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    page.on("pageerror", lambda e: seen["console"].append(str(e)))
    response = page.goto(url, wait_until="networkidle")
    return page, response, seen


@pytest.mark.parametrize("path", PAGES + NOT_FOUND)
def test_page_is_private_light_clean_and_accessible(context, server, path):
    """Every check runs, and the failures are reported together, so that one problem on a
    page (say, its weight) does not hide another (say, an axe violation)."""
    server.httpd.sent = 0  # the context is fresh: what follows is a first visit
    page, response, seen = open_page(context, f"{server.origin}/{path}")
    sent = server.httpd.sent
    problems = []
    if response.status != 200:
        problems.append(f"status {response.status}")
    foreign = [u for u in seen["requests"] if not u.startswith((server.origin, "data:", "blob:"))]
    if foreign:
        problems.append(f"requests to other origins: {foreign}")
    if context.cookies():
        problems.append(f"cookies: {context.cookies()}")
    keys = page.evaluate("Object.keys(localStorage)")
    if not all(THEME_KEYS.search(k) for k in keys):
        problems.append(f"localStorage beyond the theme's preference: {keys}")
    if seen["console"]:
        problems.append(f"console errors: {seen['console']}")
    if csp := page.evaluate("window.__csp"):
        problems.append(f"CSP violations: {csp}")
    # Search (its index, the largest download, and its worker) waits until the reader searches.
    if late := [u for u in seen["requests"] if re.search(LAZY_SEARCH, u)]:
        problems.append(f"search loaded before the reader searched: {late}")
    if sent > FIRST_VISIT_BUDGET:
        requests = "\n  ".join(seen["requests"])
        problems.append(
            f"first visit sends {sent / 1000:.1f} kB (budget {FIRST_VISIT_BUDGET / 1000:.0f} kB,"
            f" compressed, headers included) in {len(seen['requests'])} requests:\n  {requests}"
        )
    page.evaluate(AXE + "\n;0")
    # All of axe's rules that are on by default: WCAG 2.x A/AA and best practices (rules
    # tagged "experimental" stay off, as axe ships them).
    result = page.evaluate("axe.run(document)")
    problems += [
        f"axe {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
    assert problems == [], f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "lang, word",
    [
        ("en", "serotonin"),
        ("es", "serotonina"),
        ("de", "Serotonin"),
        ("fr", "sérotonine"),
        ("pt-BR", "serotonina"),
    ],
)
def test_search_returns_results_in_the_page_language(context, server, lang, word):
    prefix = "" if lang == "en" else f"{lang}/"
    page, _, seen = open_page(context, f"{server.origin}/{prefix}")
    page.keyboard.press("/")  # Material's keyboard shortcut focuses the search box
    page.keyboard.type(word, delay=30)  # Material searches on key events, not on fill()
    links = page.locator(".md-search-result__list a.md-search-result__link")
    links.first.wait_for(timeout=15000)
    hrefs = links.evaluate_all("els => els.map(e => e.href)")
    assert hrefs
    for href in hrefs:
        rest = href[len(server.origin) + 1 :]
        assert rest.startswith(prefix) and not (lang == "en" and rest[:3] in ("es/", "de/")), href
    index_requests = [u for u in seen["requests"] if u.endswith("search_index.json")]
    assert index_requests == [f"{server.origin}/{prefix}search/search_index.json"]


def test_search_quality_finds_the_answer_in_the_first_three_pages(browser, server):
    """The editors' typed questions (tests/fixtures/search-questions.yaml), typed into the real
    search dialog in every built language that has questions: one acceptable page among the
    first three distinct result pages for at least 90 % of them."""
    questions = load_questions()
    langs = [lang for lang in PROJECT.languages if lang in questions]
    assert langs, "no questions for any built language"
    results = evaluate(browser, server.origin, questions, langs, PROJECT.default)
    short = {lang: hit_rates(rows)["hit3"] for lang, rows in results.items()}
    assert all(rate >= 0.9 for rate in short.values()), "hit@3 below 90 %:\n" + table(results)


def test_language_switcher_keeps_the_page(context, server):
    page, _, _ = open_page(context, f"{server.origin}/risks/interactions/")
    for lang in (*LANGS[1:], LANGS[0]):  # every language, back to the default last
        page.hover(".md-header__option .md-select")
        page.click(f".md-select__link[hreflang={lang}]")
        page.wait_for_load_state("networkidle")
        prefix = "" if lang == "en" else f"{lang}/"
        assert page.url == f"{server.origin}/{prefix}risks/interactions/"
        assert page.evaluate("document.documentElement.lang") == lang


def test_dark_mode_toggles_and_persists(context, server):
    page, _, _ = open_page(context, f"{server.origin}/es/")
    before = page.evaluate("document.body.dataset.mdColorScheme")
    for _ in range(3):
        if page.evaluate("document.body.dataset.mdColorScheme") == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate" != before or (
        before == "slate"
    )
    page.reload(wait_until="networkidle")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"


def test_mobile_navigation_at_360px(browser, server):
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = ctx.new_page()
    for lang in LANGS:  # no home page scrolls sideways (a long language name once did)
        page.goto(f"{server.origin}/{PROJECT.url_of(lang, 'index.md')}", wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, lang
    page.goto(f"{server.origin}/de/", wait_until="networkidle")
    page.click("label.md-header__button[for=__drawer]")
    link = page.locator(".md-nav--primary a.md-nav__link[href*='emergency']").first
    link.wait_for(state="visible")
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/de/emergency/")
    ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_legal_status_by_country_fits_a_phone_and_the_picker_reaches_a_country(
    browser, server, lang
):
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = ctx.new_page()
    prefix = "" if lang == PROJECT.default else f"{lang}/"
    page.goto(f"{server.origin}/{prefix}legality/by-country/", wait_until="networkidle")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"
    page.click("nav.country-picker a[href='#at']")
    page.wait_for_function("location.hash === '#at'")
    top = page.evaluate("document.getElementById('at').getBoundingClientRect().top")
    assert 0 <= top < 740, f"#at is not on screen after the picker link ({top})"
    ctx.close()


def test_keyboard_reaches_search_switcher_and_content_with_visible_focus(context, server):
    page, _, _ = open_page(context, f"{server.origin}/risks/")
    reached = set()
    for _ in range(400):  # header, then the whole navigation, then the content
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e);
            return {cls: e.className || '', tag: e.tagName, inArticle: !!e.closest('article'),
                    lang: !!e.closest('.md-select'), outline: s.outlineStyle,
                    shadow: s.boxShadow, width: s.outlineWidth};
        }""")
        if "md-search__input" in str(info["cls"]):
            reached.add("search")
        if info["lang"]:
            reached.add("switcher")
        if info["inArticle"] and info["tag"] == "A":
            reached.add("content")
            visible = (
                info["outline"] != "none" and info["width"] != "0px" or (info["shadow"] != "none")
            )
            assert visible, f"no visible focus on a content link: {info}"
        if reached == {"search", "switcher", "content"}:
            break
    assert reached == {"search", "switcher", "content"}, reached


HANDOUTS = sorted(p for p in PROJECT.pages("en") if p.startswith("clinicians/handouts/"))


@pytest.mark.parametrize("path", [PROJECT.url_of(lang, p) for lang in LANGS for p in HANDOUTS])
def test_handout_prints_on_at_most_two_pages(context, server, path):
    page, _, _ = open_page(context, f"{server.origin}/{path}")
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size, print_background=False)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 2, f"{path} prints on {pages} {size} pages"
    page.emulate_media(media="print")
    footer = page.locator(".guide-print-footer")
    assert footer.count() == 1
    text = footer.inner_text()
    assert "127.0.0.1:8000" in text and re.search(r"\d{4}", text)


@pytest.mark.parametrize(
    "path, table",
    [
        ("research/trials/", "trials"),
        ("es/risks/interactions/", "interactions"),
        ("de/legality/by-country/", "legal-status"),
    ],
)
def test_data_tables_sort_and_filter(context, server, path, table):
    page, _, _ = open_page(context, f"{server.origin}/{path}")
    rows = page.locator(f"#table-{table} tbody tr")
    total = rows.count()
    assert total >= 15
    first_column = f"#table-{table} tbody tr td:first-child"
    page.click(f"#table-{table} thead th:first-child button")
    ascending = page.locator(first_column).all_inner_texts()
    page.click(f"#table-{table} thead th:first-child button")
    descending = page.locator(first_column).all_inner_texts()
    assert descending == list(reversed(ascending)) and ascending != descending
    assert page.get_attribute(f"#table-{table} thead th:first-child", "aria-sort") == "descending"
    needle = ascending[0].split()[0]
    page.fill(f"#table-{table}-filter", needle)
    visible = page.locator(f"#table-{table} tbody tr:not([hidden])").count()
    assert 1 <= visible < total
    assert page.inner_text(f"#table-{table}-count") == str(visible)


# Quick exit (overrides/assets/javascripts/quick-exit.js). Every address outside the local
# server is answered by the test itself: nothing leaves 127.0.0.1.
START = "https://start.invalid/"  # a page the reader was on before the guide


def _answer_outside_requests(context, server) -> list[str]:
    outside: list[str] = []

    def handle(route):
        if route.request.url.startswith(server.origin):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>")

    context.route("**/*", handle)
    return outside


@pytest.mark.parametrize("how, lang", [("click", "en"), ("shift", "de")])
def test_quick_exit_leaves_and_replaces_the_history_entry(context, server, how, lang):
    outside = _answer_outside_requests(context, server)
    page = context.new_page()
    page.goto(START)
    prefix = "" if lang == "en" else f"{lang}/"
    page.goto(f"{server.origin}/{prefix}risks/", wait_until="networkidle")
    page.evaluate(
        "localStorage.setItem('/.__search', '1'); sessionStorage.setItem('/.__tabs', '1')"
    )
    if how == "click":
        page.click("a.guide-exit__button")
    else:
        status = page.locator(".guide-exit__status")
        page.keyboard.press("Shift")
        assert "2" in status.inner_text()  # announced to screen readers (aria-live)
        page.keyboard.press("Shift")
        assert "1" in status.inner_text()
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_page(lang))
    assert neutral_page(lang) in outside
    page.go_back(wait_until="load")
    assert page.url == START  # Back skips the guide: its history entry was replaced
    # What the guide stored under its path is gone (read on a page that stores nothing).
    page.goto(f"{server.origin}/assets/javascripts/quick-exit.js")
    keys = page.evaluate("[...Object.keys(localStorage), ...Object.keys(sessionStorage)]")
    assert not [k for k in keys if ".__" in k], keys


def test_quick_exit_first_in_tab_order_fixed_and_not_printed(context, server):
    page, _, _ = open_page(context, f"{server.origin}/es/faq/")
    focused = []
    for _ in range(2):  # the skip link, then the exit button
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.className"))
    assert any("guide-exit__button" in c for c in focused), focused
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    height = page.viewport_size["height"]
    bar = page.locator(".guide-exit").bounding_box()
    assert bar["y"] + bar["height"] <= height + 1 and bar["y"] > height / 2  # stays in view
    footer = page.locator(".md-footer").bounding_box()
    assert footer["y"] + footer["height"] <= bar["y"] + 1  # the page's end is not covered
    page.emulate_media(media="print")
    assert not page.locator(".guide-exit").is_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_feed_link_triggers_no_fetch_and_the_feed_is_served(context, server, lang):
    prefix = "" if lang == "en" else f"{lang}/"
    page, _, seen = open_page(context, f"{server.origin}/{prefix}about/changelog/")
    assert seen["console"] == [], seen["console"]
    # The head announces the feed without Material fetching anything next to it.
    assert not [u for u in seen["requests"] if u.endswith(("feed.xml", "sitemap.xml"))]
    href = page.evaluate("document.querySelector('head link[type=\"application/atom+xml\"]').href")
    assert href == f"{server.origin}/{prefix}feed.xml"
    assert page.locator("p.guide-feed a").evaluate("a => a.href") == href
    response = page.request.get(href)
    assert response.status == 200
    assert b'xml:lang="' + lang.encode() + b'"' in response.body()


@pytest.mark.parametrize("lang, word", [("es", "serotonina")])
def test_offline_copy_works_from_file_with_no_network(browser, offline_zips, tmp_path, lang, word):
    """The language's zip (`make offline`), extracted and opened from file://: a nav link,
    the glossary, and search, with no request but file:// ones and no console error or CSP
    violation on any page."""
    with zipfile.ZipFile(offline_zips[lang]) as archive:
        archive.extractall(tmp_path)
    home = tmp_path / offline_zips[lang].stem / "index.html"
    ctx = browser.new_context()
    ctx.add_init_script(COLLECT_CSP)
    page = ctx.new_page()
    requests, errors, csp = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def go(action):
        csp.extend(page.evaluate("window.__csp || []"))
        action()
        page.wait_for_load_state("load")

    page.goto(home.as_uri(), wait_until="load")
    assert page.evaluate("document.documentElement.lang") == lang
    go(lambda: page.click(".md-nav--primary a.md-nav__link[href='emergency/index.html']"))
    assert page.url == (home.parent / "emergency" / "index.html").as_uri()
    go(lambda: page.click(".md-nav--primary a.md-nav__link[href='../glossary/index.html']"))
    assert page.url == (home.parent / "glossary" / "index.html").as_uri()
    assert page.locator("article dl, article dt, article h2").count() > 0
    page.click(".md-search__input")
    page.keyboard.type(word, delay=30)
    links = page.locator(".md-search-result__list a.md-search-result__link")
    # Results for the whole word (the index may arrive while it is being typed): the first
    # names a word that begins like it.
    page.wait_for_function(
        "w => (document.querySelector('.md-search-result__list a') || {}).textContent"
        " ?.toLowerCase().includes(w)",
        arg=word[:8],
        timeout=10000,
    )
    href = links.first.evaluate("a => a.href")
    assert href.startswith(home.parent.as_uri() + "/") and ".html" in href
    go(lambda: links.first.click())
    assert page.url == href
    csp.extend(page.evaluate("window.__csp || []"))
    assert [u for u in requests if not u.startswith("file://")] == []
    assert errors == [] and csp == []
    ctx.close()
