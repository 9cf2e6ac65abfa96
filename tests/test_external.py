"""External link and DOI checks against real HTTP servers on 127.0.0.1 (no mocks, no internet).

One aiohttp application runs in a background thread for the whole module; each test resets its
request log. Timeouts and back-off are tiny so the file runs in a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from email.utils import formatdate

import pytest
from aiohttp import web
from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import external  # noqa: E402
from mdma_guide.external import Options, Target, check_sync  # noqa: E402

CROSSREF = FIXTURES / "crossref"
SOURCE = ("docs/en/evidence/index.md", 12)


@dataclass
class Recorder:
    """What the server saw: every request, and the most requests in flight at once."""

    hits: list[tuple[str, str]] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    seen: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.__init__()

    def count(self, path: str) -> int:
        return sum(1 for _, p in self.hits if p == path)


def redirect(location: str, status: int = 302, **headers: str) -> web.Response:
    return web.Response(status=status, headers={"Location": location, **headers})


def make_app(rec: Recorder) -> web.Application:
    """Every behaviour the tests need, one route each."""
    routes = web.RouteTableDef()

    @web.middleware
    async def record(request, handler):
        rec.hits.append((request.method, request.path))
        rec.active += 1
        rec.max_active = max(rec.max_active, rec.active)
        try:
            return await handler(request)
        finally:
            rec.active -= 1

    @routes.route("*", "/ok")
    async def ok(request):
        return web.Response(text="hello")

    @routes.route("*", "/no-head")
    async def no_head(request):
        return web.Response(status=405) if request.method == "HEAD" else web.Response(text="hi")

    @routes.route("*", "/chain/{n}")
    async def chain(request):
        n = int(request.match_info["n"])
        return redirect(str(n - 1), 301) if n else web.Response(text="end")  # relative Location

    @routes.route("*", "/loop/{name}")
    async def loop(request):
        return redirect("/loop/b" if request.match_info["name"] == "a" else "/loop/a")

    @routes.route("*", "/status/{code}")
    async def status(request):
        return web.Response(status=int(request.match_info["code"]), reason="Whatever")

    @routes.route("*", "/challenge")
    async def challenge(request):
        return web.Response(status=403, headers={"cf-mitigated": "challenge"})

    @routes.route("*", "/retry-after/once")
    async def retry_once(request):
        if "retry" in rec.seen:
            return web.Response(text="finally")
        rec.seen.add("retry")
        return web.Response(status=429, headers={"Retry-After": "1"})

    @routes.route("*", "/retry-after/long")
    async def retry_long(request):
        return web.Response(status=429, headers={"Retry-After": "3600"})

    @routes.route("*", "/slow")
    async def slow(request):
        await asyncio.sleep(1.5)
        return web.Response(text="late")

    @routes.route("*", "/concurrent/{i}")
    async def concurrent(request):
        await asyncio.sleep(0.05)
        return web.Response(text="ok")

    @routes.route("*", "/cookie-check")
    async def cookie_check(request):
        return web.Response(text="in") if "seen" in request.cookies else redirect("/cookie-set")

    @routes.route("*", "/cookie-set")
    async def cookie_set(request):
        return redirect("/cookie-check", **{"Set-Cookie": "seen=1; Path=/"})

    @routes.route("*", "/doi/{doi:.+}")
    async def resolver(request):
        name = request.match_info["doi"].split("/", 1)[1]
        return web.Response(status=404) if name == "missing" else redirect(f"/publisher/{name}")

    @routes.route("*", "/publisher/{name}")
    async def publisher(request):
        blocked = request.match_info["name"] == "blocked"
        return web.Response(status=403) if blocked else web.Response(text="article")

    @routes.get("/crossref/{doi:.+}")
    async def crossref(request):
        path = CROSSREF / (request.match_info["doi"].lower().replace("/", "_") + ".json")
        if not path.exists():
            return web.Response(status=404, text="Resource not found.")
        return web.Response(body=path.read_bytes(), content_type="application/json")

    @routes.get("/crossref-down/{doi:.+}")
    async def crossref_down(request):
        return web.Response(status=503)

    @routes.get("/crossref-garbage/{doi:.+}")
    async def crossref_garbage(request):
        return web.Response(text="<html>maintenance</html>", content_type="application/json")

    @routes.get("/crossref-huge/{doi:.+}")
    async def crossref_huge(request):  # 50 MB, streamed without a length, 64 KiB at a time
        resp = web.StreamResponse(headers={"Content-Type": "application/json"})
        await resp.prepare(request)
        chunk = b" " * 65536
        with contextlib.suppress(ConnectionError):
            for _ in range(800):
                await resp.write(chunk)
        return resp

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


class LocalServer:
    """An aiohttp application on 127.0.0.1, random free port, in its own thread and loop."""

    def __init__(self, app: web.Application):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runner = web.AppRunner(app, shutdown_timeout=0.1)
        self.url = f"http://127.0.0.1:{self._call(self._start())}"

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _start(self) -> int:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        return self.runner.addresses[0][1]

    def close(self) -> None:
        self._call(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(scope="module")
def server():
    rec = Recorder()
    srv = LocalServer(make_app(rec))
    srv.rec = rec
    yield srv
    srv.close()


@pytest.fixture
def srv(server):
    """The module's server with a fresh request log."""
    server.rec.reset()
    return server


def opts(srv, **changes) -> Options:
    """Fast options pointing DOIs at the local resolver; Crossref off unless asked."""
    base = {"doi_resolver": f"{srv.url}/doi/", "crossref_api": None, "timeout": 2.0}
    base |= {"deadline": 20.0, "retries": 1, "backoff": 0.01, "max_redirects": 5}
    return Options(**(base | changes))


def run(srv, path_or_url: str, **changes) -> external.Result:
    url = srv.url + path_or_url if path_or_url.startswith("/") else path_or_url
    (result,) = check_sync([Target(url, (SOURCE,))], opts(srv, **changes))
    return result


def doi(srv, name: str, title: str | None = None, status: str | None = None, **changes):
    target = Target(f"doi:10.5555/{name}", (SOURCE, ("docs/de/x.md", 3)), title, status)
    changes.setdefault("crossref_api", f"{srv.url}/crossref/")
    (result,) = check_sync([target], opts(srv, **changes))
    return result


# --- plain links -------------------------------------------------------------------------


def test_200_is_ok_with_head_only(srv):
    result = run(srv, "/ok")
    assert (result.outcome, result.status, result.detail) == ("ok", 200, "200 OK")
    assert srv.rec.hits == [("HEAD", "/ok")]


def test_head_405_falls_back_to_get(srv):
    result = run(srv, "/no-head")
    assert (result.outcome, result.status) == ("ok", 200)
    assert srv.rec.hits == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_chain_of_three_301s_is_ok_with_final_url(srv):
    result = run(srv, "/chain/3")
    assert result.outcome == "ok"
    assert result.final_url == f"{srv.url}/chain/0"
    assert result.detail == "200 OK after 3 redirects"


def test_redirect_loop_is_broken(srv):
    result = run(srv, "/loop/a")
    assert result.outcome == "broken"
    a, b = f"{srv.url}/loop/a", f"{srv.url}/loop/b"
    assert result.detail == f"redirect loop: {a} -> {b} -> {a}"


def test_too_many_redirects_is_broken(srv):
    result = run(srv, "/chain/9", max_redirects=5)
    assert result.outcome == "broken"
    assert "more than 5 redirects" in result.detail


def test_cookie_check_revisiting_a_url_is_not_a_loop(srv):
    result = run(srv, "/cookie-check")
    assert result.outcome == "ok", result.detail
    assert result.detail == "200 OK after 2 redirects"


@pytest.mark.parametrize("code", [404, 410])
def test_gone_is_broken_after_a_confirming_get(srv, code):
    result = run(srv, f"/status/{code}")
    assert (result.outcome, result.status) == ("broken", code)
    assert result.detail.startswith(str(code))
    assert [m for m, _ in srv.rec.hits] == ["HEAD", "GET"]


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/status/999", 999, "refuses automated checkers"),
        ("/status/403", 403, "bot challenge"),  # 403 on HEAD and GET
        ("/challenge", 403, "bot challenge"),  # cf-mitigated header
        ("/status/401", 401, "401 Unauthorized"),
        ("/status/451", 451, "451"),
    ],
)
def test_blocking_and_other_4xx_are_unverifiable_never_broken(srv, path, code, words):
    result = run(srv, path)
    assert (result.outcome, result.status) == ("unverifiable", code)
    assert words in result.detail


def test_429_with_retry_after_waits_exactly_then_succeeds(srv):
    start = time.monotonic()
    result = run(srv, "/retry-after/once", retries=3, backoff=0.001)
    elapsed = time.monotonic() - start
    assert result.outcome == "ok"
    assert elapsed >= 1.0
    assert srv.rec.count("/retry-after/once") == 2


def test_429_with_retry_after_above_cap_is_unverifiable_at_once(srv):
    start = time.monotonic()
    result = run(srv, "/retry-after/long", retries=3, retry_after_cap=5)
    assert result.outcome == "unverifiable"
    assert "wait 3600 s (cap 5 s)" in result.detail
    assert time.monotonic() - start < 1
    assert srv.rec.count("/retry-after/long") == 1


def test_persistent_500_is_unverifiable_after_retries_plus_one_attempts(srv):
    result = run(srv, "/status/500", retries=2)
    assert (result.outcome, result.status) == ("unverifiable", 500)
    assert result.detail == "500 Internal Server Error after 3 attempts"
    assert srv.rec.count("/status/500") == 3


def test_slow_response_beyond_timeout_is_unverifiable(srv):
    start = time.monotonic()
    result = run(srv, "/slow", timeout=0.2, retries=1)
    assert result.outcome == "unverifiable"
    assert "timed out (0.2 s limit) after 2 attempts" in result.detail
    assert time.monotonic() - start < 1.2
    assert srv.rec.count("/slow") == 2


def test_unknown_host_is_broken():
    (result,) = check_sync([Target("http://nonexistent.invalid/", (SOURCE,))], Options(retries=0))
    assert result.outcome == "broken"
    assert "host not found: nonexistent.invalid" in result.detail


def test_invalid_url_is_broken(srv):
    assert run(srv, "htp//not a url").outcome == "broken"


def test_deadline_marks_unfinished_targets_unverifiable(srv):
    targets = [Target(f"{srv.url}/slow", (SOURCE,)), Target(f"{srv.url}/ok", (SOURCE,))]
    start = time.monotonic()
    slow, ok = check_sync(targets, opts(srv, deadline=0.5, timeout=5))
    assert time.monotonic() - start < 1.4
    assert ok.outcome == "ok"
    assert slow.outcome == "unverifiable"
    assert "deadline" in slow.detail


def test_per_host_limit_is_never_exceeded(srv):
    targets = [Target(f"{srv.url}/concurrent/{i}", (SOURCE,)) for i in range(12)]
    results = check_sync(targets, opts(srv, per_host=3))
    assert {r.outcome for r in results} == {"ok"}
    assert srv.rec.max_active == 3


def test_total_limit_applies_across_hosts(srv):
    port = srv.url.rsplit(":", 1)[1]
    hosts = ("127.0.0.1", "localhost")  # two host names, one server
    targets = [
        Target(f"http://{h}:{port}/concurrent/{i}", (SOURCE,)) for h in hosts for i in range(4)
    ]
    results = check_sync(targets, opts(srv, per_host=4, total=2))
    assert {r.outcome for r in results} == {"ok"}
    assert srv.rec.max_active == 2


def test_duplicates_are_requested_once_with_sources_merged(srv):
    url = f"{srv.url}/ok"
    seen = []
    results = check_sync(
        [Target(url, (("a.md", 1),)), Target(url, (("b.md", 2), ("a.md", 1)))],
        opts(srv),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(results) == 1
    assert results[0].target.sources == (("a.md", 1), ("b.md", 2))
    assert srv.rec.hits == [("HEAD", "/ok")]
    assert seen == [(1, 1)]


# --- cache ---------------------------------------------------------------------------------


def test_cache_reuses_ok_results_only(srv, tmp_path):
    cache = tmp_path / "links.json"
    urls = [f"{srv.url}/ok", f"{srv.url}/chain/2", f"{srv.url}/status/404"]
    targets = [Target(u, (SOURCE,)) for u in urls]
    first = check_sync(targets, opts(srv, cache_file=str(cache)))
    assert [r.outcome for r in first] == ["ok", "ok", "broken"]
    data = json.loads(cache.read_text())
    assert data[f"{srv.url}/chain/0"]["outcome"] == "ok"  # keyed by the final URL
    assert data[f"{srv.url}/chain/2"]["alias"] == f"{srv.url}/chain/0"  # original -> final
    assert f"{srv.url}/status/404" not in data

    srv.rec.reset()
    second = check_sync(targets, opts(srv, cache_file=str(cache)))
    assert [r.outcome for r in second] == ["ok", "ok", "broken"]
    assert second[1].final_url == f"{srv.url}/chain/0"
    assert "(cached)" in second[0].detail
    assert {p for _, p in srv.rec.hits} == {"/status/404"}  # only the failure is re-checked

    srv.rec.reset()
    check_sync(targets[:1], opts(srv, cache_file=str(cache), cache_ttl=0))
    assert srv.rec.hits == [("HEAD", "/ok")]  # expired entries are checked again


def test_corrupt_cache_file_is_ignored_and_replaced(srv, tmp_path):
    cache = tmp_path / "links.json"
    cache.write_text("{not json", encoding="utf-8")
    result = run(srv, "/ok", cache_file=str(cache))
    assert result.outcome == "ok"
    assert "cache file" in result.detail and "ignored" in result.detail
    assert json.loads(cache.read_text())[f"{srv.url}/ok"]["outcome"] == "ok"


# --- DOIs ------------------------------------------------------------------------------------


def test_doi_resolving_to_a_blocking_publisher_is_ok(srv):
    result = doi(srv, "blocked", crossref_api=None)
    assert result.outcome == "ok"
    assert result.final_url == f"{srv.url}/publisher/blocked"
    assert result.detail.startswith("resolves; publisher blocks checkers")
    assert result.problems == []


def test_doi_unknown_to_the_resolver_is_broken(srv):
    result = doi(srv, "missing")
    assert (result.outcome, result.status) == ("broken", 404)
    assert "DOI not found by the resolver" in result.detail
    assert not any(p.startswith("/crossref") for _, p in srv.rec.hits)


def test_doi_url_form_and_doi_form_are_one_target(srv):
    targets = [
        Target("https://doi.org/10.5555/TRIAL-2020", (("a.md", 1),)),
        Target("doi:10.5555/trial-2020", (("b.md", 2),), "Some title"),
    ]
    (result,) = check_sync(targets, opts(srv))
    assert result.outcome == "ok"
    assert result.target.sources == (("a.md", 1), ("b.md", 2))
    assert result.target.expected_title == "Some title"


def test_crossref_title_match_gives_no_problem(srv):
    title = "Example-Assisted Therapy for an Example Condition - A Randomised Double-Blind Trial."
    result = doi(srv, "trial-2020", title)
    assert result.outcome == "ok"
    assert result.problems == []


def test_crossref_title_mismatch_is_an_error_at_the_first_source(srv):
    result = doi(srv, "trial-2020", "Long-term outcomes of an unrelated cohort")
    (problem,) = result.problems
    assert (problem.rule, problem.severity) == ("doi-title-mismatch", "error")
    assert (problem.file, problem.line) == SOURCE
    assert "10.5555/trial-2020" in problem.message


def test_crossref_retraction_without_bibliography_status_is_an_error(srv):
    result = doi(srv, "retracted-2019", "Results of an example open-label study")
    (problem,) = result.problems
    assert (problem.rule, problem.severity) == ("doi-status-mismatch", "error")
    assert problem.message == (
        "DOI 10.5555/retracted-2019: Crossref says this work was retracted "
        "(notice 10.5555/retraction-2024, 2024-08-10) but the bibliography has no status"
    )


@pytest.mark.parametrize(
    ("name", "status"), [("retracted-2019", "retracted"), ("corrected-2022", "corrected")]
)
def test_crossref_status_matching_the_bibliography_gives_no_problem(srv, name, status):
    assert doi(srv, name, status=status).problems == []


def test_bibliography_status_unknown_to_crossref_is_an_error(srv):
    (problem,) = doi(srv, "trial-2020", status="withdrawn").problems
    assert problem.rule == "doi-status-mismatch"
    assert "bibliography says withdrawn" in problem.message


def test_doi_unknown_to_crossref_is_a_warning(srv):
    result = doi(srv, "blocked")
    assert result.outcome == "ok"
    (problem,) = result.problems
    assert (problem.rule, problem.severity) == ("doi-unknown-to-crossref", "warning")


def test_crossref_outage_is_only_a_detail(srv):
    result = doi(srv, "trial-2020", "x", "retracted", crossref_api=f"{srv.url}/crossref-down/")
    assert result.outcome == "ok"
    assert result.problems == []
    assert "Crossref lookup failed (503 Service Unavailable after 2 attempts)" in result.detail


def test_crossref_metadata_is_cached_with_the_doi(srv, tmp_path):
    cache = str(tmp_path / "links.json")
    doi(srv, "retracted-2019", cache_file=cache)
    srv.rec.reset()
    (problem,) = doi(srv, "retracted-2019", cache_file=cache).problems
    assert problem.rule == "doi-status-mismatch"
    assert srv.rec.hits == []


# --- pure helpers --------------------------------------------------------------------------


def test_retry_after_accepts_seconds_and_http_dates():
    now = time.time()
    assert external.parse_retry_after("7") == 7.0
    date = formatdate(now + 30, usegmt=True)
    assert external.parse_retry_after(date, now) == pytest.approx(30, abs=1)
    assert external.parse_retry_after("soon") is None


def test_title_normalisation_ignores_markup_case_punctuation_and_retracted_label():
    assert external.normalise_title("RETRACTED: The <i>Effects</i> of MDMA &amp; Sleep") == (
        "the effects of mdma sleep"
    )
    assert external.title_similarity("Fear—and Memory", "fear and memory.") == 1.0


def test_crossref_status_retraction_wins_and_retracted_title_counts():
    message = json.loads((CROSSREF / "10.5555_retracted-2019.json").read_text())["message"]
    assert external.crossref_status(message) == ("retracted", "10.5555/retraction-2024, 2024-08-10")
    assert external.crossref_status({"title": ["RETRACTED: A study"]})[0] == "retracted"
    assert external.crossref_status({"title": ["Retracted memories"]}) == (None, "")


def test_unreadable_crossref_json_is_a_finding_not_a_pass(srv):
    result = doi(srv, "trial-2020", "x", crossref_api=f"{srv.url}/crossref-garbage/")
    (problem,) = result.problems
    assert (problem.rule, problem.severity) == ("doi-status-unchecked", "error")
    assert (problem.file, problem.line) == SOURCE
    assert "retraction status could not be checked" in problem.message


def test_huge_crossref_reply_is_read_only_up_to_the_cap(srv):
    tracemalloc.start()
    try:
        result = doi(srv, "trial-2020", "x", crossref_api=f"{srv.url}/crossref-huge/")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (problem,) = result.problems
    assert problem.rule == "doi-status-unchecked"
    assert "larger than" in problem.message
    assert peak < 30 * 2**20, f"peak {peak / 2**20:.0f} MiB while reading a 50 MB reply"
