"""The online half of the link checker: are the external links and DOIs still good?

The offline checker proves that every internal link and citation resolves; it cannot say
whether a publisher moved a paper or Crossref now records a retraction. This module asks the
network, politely (HEAD first, per-host limits, bounded retries, a cache) and cautiously: only
a 404/410, an unknown host, an invalid URL or a redirect loop is called "broken". Anything a
flaky or bot-blocking server might cause is "unverifiable", so a maintainer is never told to
remove a good citation. For DOIs it also compares Crossref's title and retraction/correction
notices with the bibliography. Pure logic: no MkDocs imports.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import difflib
import email.utils
import html
import json
import os
import re
import socket
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from urllib.parse import quote, unquote, urljoin, urlsplit

import aiohttp

from .errors import Problem

REDIRECTS = (301, 302, 303, 307, 308)
HEAD_REFUSED = (400, 403, 404, 405, 410, 501)  # confirm with one GET before judging
GONE = (404, 410)
STATUS_ORDER = ("retracted", "withdrawn", "expression-of-concern", "corrected")
UPDATE_TYPES = {
    "retraction": "retracted",
    "withdrawal": "withdrawn",
    "expression_of_concern": "expression-of-concern",
    "correction": "corrected",
    "erratum": "corrected",
}
TITLE_THRESHOLD = 0.85
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.[^\s]+)$", re.IGNORECASE)
_RETRACTED_PREFIX = re.compile(r"^\s*RETRACTED(?:\s+ARTICLE)?\s*[:.\-–—]?\s*")


@dataclass(frozen=True)
class Target:
    """One external link or DOI, with every place it is used."""

    url: str
    sources: tuple[tuple[str, int | None], ...]
    expected_title: str | None = None
    expected_status: str | None = None


@dataclass
class Result:
    """What the network said about one target."""

    target: Target
    outcome: str
    status: int | None
    final_url: str | None
    detail: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Options:
    """Knobs for one run; the defaults suit the real network."""

    doi_resolver: str = "https://doi.org/"
    crossref_api: str | None = "https://api.crossref.org/works/"
    timeout: float = 15.0
    deadline: float = 300.0
    per_host: int = 4
    total: int = 32
    retries: int = 3
    backoff: float = 0.5
    retry_after_cap: float = 60.0
    max_redirects: int = 10
    max_body: int = 5 * 1024 * 1024  # Crossref's largest work records are well under 1 MiB
    cache_file: str | None = None
    cache_ttl: float = 7 * 86400
    user_agent: str = "mdma-evidence-guide-link-checker (+repository README)"


def doi_of(url: str) -> str | None:
    """The DOI in ``doi:10.x/y`` or ``https://doi.org/10.x/y``, else None."""
    match = _DOI.match(url.strip())
    return unquote(match.group(1)) if match else None


def normalise_title(title: str) -> str:
    """Lower-case words only: no HTML tags, entities, accents, punctuation or RETRACTED label."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", title))
    text = unicodedata.normalize("NFKD", _RETRACTED_PREFIX.sub("", text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def title_similarity(a: str, b: str) -> float:
    """difflib ratio of the two normalised titles (1.0 = same words)."""
    return difflib.SequenceMatcher(None, normalise_title(a), normalise_title(b)).ratio()


def crossref_status(message: dict) -> tuple[str | None, str]:
    """The work's status from a Crossref ``message`` and a note naming the notice, if any."""
    found: dict[str, str] = {}
    for update in message.get("updated-by") or []:
        if not isinstance(update, dict):
            continue
        kind = UPDATE_TYPES.get(str(update.get("type", "")).lower().replace("-", "_"))
        if kind and kind not in found:
            parts = (update.get("updated") or {}).get("date-parts") or [[]]
            date = "-".join(f"{int(p):02d}" for p in parts[0] if str(p).isdigit())
            found[kind] = ", ".join(x for x in (update.get("DOI"), date) if x)
    titles = message.get("title") or []
    if titles and str(titles[0]).lstrip().startswith("RETRACTED"):
        found.setdefault("retracted", "title starts with RETRACTED")
    for status in STATUS_ORDER:
        if status in found:
            return status, found[status]
    return None, ""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP-date), None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def status_phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class _Stop(Exception):
    """Give up on a URL: ``outcome`` and a ``detail`` sentence (and the last status)."""

    def __init__(self, outcome: str, detail: str, status: int | None = None):
        super().__init__(detail)
        self.outcome, self.detail, self.status = outcome, detail, status


class TooLarge(_Stop):
    """A reply body over ``Options.max_body``: reading stopped there."""


async def read_capped(resp, cap: int) -> bytes:
    """The body, read in chunks and abandoned past ``cap`` bytes (never whole at once)."""
    if resp.content_length is not None and resp.content_length > cap:
        raise TooLarge("unverifiable", f"reply larger than {cap:,} bytes", resp.status)
    chunks, size = [], 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > cap:
            raise TooLarge("unverifiable", f"reply larger than {cap:,} bytes", resp.status)
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class _Reply:
    status: int
    headers: Mapping[str, str]  # case-insensitive (aiohttp's CIMultiDictProxy)
    body: bytes = b""


@dataclass
class _Chain:
    outcome: str
    status: int | None
    final_url: str
    detail: str
    hops: int


class _Cache:
    """The JSON cache: fresh "ok" entries keyed by final URL, plus original -> final aliases."""

    def __init__(self, path: str | None, ttl: float):
        self.path, self.ttl, self.data, self.warning = path, ttl, {}, ""
        if not path or not os.path.exists(path):
            return
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            self.data = data
        except (OSError, ValueError) as exc:
            self.warning = f"the cache file {path} was unreadable and is ignored ({exc})"

    def get(self, url: str) -> dict | None:
        """A fresh "ok" entry for ``url`` (directly or through its alias), else None."""
        entry = self.data.get(url)
        if isinstance(entry, dict) and isinstance(entry.get("alias"), str):
            entry = self.data.get(entry["alias"])
        if not isinstance(entry, dict) or entry.get("outcome") != "ok":
            return None
        checked = entry.get("checked_at")
        fresh = isinstance(checked, int | float) and time.time() - checked < self.ttl
        return entry if fresh else None

    def put(self, url, final_url, status, detail, verified=True, **extra) -> None:
        """Remember an "ok" result under its final URL (if verified) and alias ``url`` to it."""
        now = time.time()
        key = final_url if verified else url
        entry = {"outcome": "ok", "status": status, "final_url": final_url, "detail": detail}
        self.data[key] = {**entry, "checked_at": now, **extra}
        if url != key:
            self.data[url] = {"alias": key, "checked_at": now}

    def save(self) -> None:
        """Write fresh entries atomically; a write failure only costs the cache."""
        if not self.path:
            return
        now = time.time()
        keep = {
            key: entry
            for key, entry in self.data.items()
            if isinstance(entry, dict) and now - (entry.get("checked_at") or 0) < self.ttl
        }
        tmp = f"{self.path}.tmp"
        with contextlib.suppress(OSError):
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(keep, handle, indent=1, sort_keys=True)
            os.replace(tmp, self.path)


class _Run:
    """Shared state of one run: session, limits, deadline and cache."""

    def __init__(self, session: aiohttp.ClientSession, options: Options, cache: _Cache):
        self.session, self.o, self.cache = session, options, cache
        self.end = asyncio.get_running_loop().time() + options.deadline
        self.total = asyncio.Semaphore(options.total)
        self.hosts: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(options.per_host)
        )

    def remaining(self) -> float:
        return self.end - asyncio.get_running_loop().time()

    async def request(self, method: str, url: str, body: bool = False) -> _Reply:
        """One request under the host and total limits and the per-request timeout."""
        remaining = self.remaining()
        if remaining <= 0:
            raise _Stop("unverifiable", "the run deadline passed before this request")
        timeout = aiohttp.ClientTimeout(total=min(self.o.timeout, remaining))
        host = self.hosts[(urlsplit(url).hostname or "").lower()]
        async with (  # the request starts only once both limits are acquired
            host,
            self.total,
            self.session.request(method, url, allow_redirects=False, timeout=timeout) as resp,
        ):
            data = await read_capped(resp, self.o.max_body) if body else b""
            return _Reply(resp.status, resp.headers, data)

    async def fetch(self, method: str, url: str, body: bool = False) -> _Reply:
        """``request`` with bounded retries for timeouts, resets, 5xx and 429."""
        attempts = self.o.retries + 1
        for attempt in range(1, attempts + 1):
            wait, status = None, None
            try:
                reply = await self.request(method, url, body)
            except aiohttp.ClientConnectorDNSError as exc:
                if getattr(exc.os_error, "errno", None) != socket.EAI_AGAIN:
                    raise _Stop("broken", f"host not found: {urlsplit(url).hostname}") from exc
                problem = "temporary DNS failure"
            except aiohttp.InvalidURL as exc:
                raise _Stop("broken", f"invalid URL: {url}") from exc
            except (aiohttp.ClientSSLError, aiohttp.ClientConnectorCertificateError) as exc:
                raise _Stop("unverifiable", f"TLS error ({type(exc).__name__})") from exc
            except TimeoutError:
                problem = f"timed out ({self.o.timeout:g} s limit)"
            except aiohttp.ClientError as exc:
                problem = f"connection failed ({type(exc).__name__})"
            else:
                status = reply.status
                if status != 429 and not 500 <= status <= 599:
                    return reply
                problem = status_phrase(status)
                wait = parse_retry_after(reply.headers.get("Retry-After"))
                if status in (429, 503) and wait is not None and wait > self.o.retry_after_cap:
                    asks = f"the server asks to wait {wait:g} s (cap {self.o.retry_after_cap:g} s)"
                    raise _Stop("unverifiable", f"{problem}: {asks}", status)
            if attempt == attempts:
                raise _Stop(
                    "unverifiable", f"{problem} after {_plural(attempts, 'attempt')}", status
                )
            if wait is None or status not in (429, 503):
                wait = self.o.backoff * 2 ** (attempt - 1)
            if wait >= self.remaining():
                raise _Stop("unverifiable", f"{problem}; retrying would pass the deadline", status)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def probe(self, url: str) -> _Reply:
        """HEAD, then one GET when HEAD is refused or says the page is gone."""
        head = await self.fetch("HEAD", url)
        return head if head.status not in HEAD_REFUSED else await self.fetch("GET", url)

    async def follow(self, url: str) -> _Chain:
        """Follow redirects by hand, with loop detection, and judge the final answer."""
        chain, cookies = [url], False
        while True:
            try:
                reply = await self.probe(url)
            except _Stop as stop:
                return _Chain(stop.outcome, stop.status, url, stop.detail, len(chain) - 1)
            location = reply.headers.get("Location") if reply.status in REDIRECTS else None
            if not location:
                outcome, detail = _judge(reply, len(chain) - 1)
                return _Chain(outcome, reply.status, url, detail, len(chain) - 1)
            cookies = cookies or "Set-Cookie" in reply.headers
            nxt = urljoin(url, location.strip())
            if nxt in chain and not cookies:
                loop = " -> ".join([*chain[chain.index(nxt) :], nxt])
                return _Chain("broken", reply.status, url, f"redirect loop: {loop}", len(chain))
            if len(chain) > self.o.max_redirects:
                detail = f"more than {_plural(self.o.max_redirects, 'redirect')}"
                if cookies:
                    detail += " while the site sets cookies (perhaps a bot check)"
                outcome = "unverifiable" if cookies else "broken"
                return _Chain(outcome, reply.status, url, detail, len(chain))
            chain.append(nxt)
            url = nxt

    async def target(self, target: Target) -> Result:
        """Check one (merged) target: the link itself, then Crossref metadata for a DOI."""
        doi = doi_of(target.url)
        url = self.o.doi_resolver + quote(doi, safe="/:;()") if doi else target.url.strip()
        parts = urlsplit(url)
        cached = self.cache.get(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            result = Result(target, "broken", None, None, f"invalid URL: {target.url}")
        elif cached:
            detail = f"{cached.get('detail')} (cached)"
            result = Result(target, "ok", cached.get("status"), cached.get("final_url"), detail)
        else:
            chain = await self.follow(url)
            outcome, detail = chain.outcome, chain.detail
            if doi and chain.hops and outcome == "unverifiable":
                outcome, detail = "ok", f"resolves; publisher blocks checkers ({detail})"
            elif doi and not chain.hops and chain.status in GONE:
                detail = f"DOI not found by the resolver ({detail})"
            result = Result(target, outcome, chain.status, chain.final_url, detail)
            if outcome == "ok":  # a blocked publisher page is not itself verified
                verified = chain.outcome == "ok"
                self.cache.put(url, chain.final_url, chain.status, detail, verified)
        if doi and self.o.crossref_api and result.outcome != "broken":
            note = await self.metadata(result, doi)
            if note:
                result.detail += f"; {note}"
        return result

    async def metadata(self, result: Result, doi: str) -> str:
        """Compare Crossref's title and update notices with the bibliography; a note if none."""
        url = self.o.crossref_api + quote(doi, safe="/:;()")
        entry = self.cache.get(url)
        facts = entry.get("crossref") if entry else None
        if not isinstance(facts, dict):
            try:
                reply = await self.fetch("GET", url, body=True)
            except TooLarge as stop:
                result.problems.append(_unchecked(result.target, doi, f"Crossref's {stop.detail}"))
                return ""
            except _Stop as stop:
                return f"Crossref lookup failed ({stop.detail})"
            if reply.status == 404:
                message = "Crossref does not know this DOI (it may be registered elsewhere)"
                problem = _problem(result.target, doi, "doi-unknown-to-crossref", message)
                result.problems.append(replace(problem, severity="warning"))
                return ""
            if reply.status != 200:
                return f"Crossref lookup failed ({status_phrase(reply.status)})"
            try:
                message = json.loads(reply.body)["message"]
                status, notice = crossref_status(message)
                titles = [str(t) for t in message.get("title") or []]
                facts = {"titles": titles, "status": status, "notice": notice}
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                message = "Crossref answered with unreadable JSON"
                result.problems.append(_unchecked(result.target, doi, message))
                return ""
            self.cache.put(url, url, 200, "Crossref metadata", crossref=facts)
        result.problems.extend(_compare(result.target, doi, facts))
        return ""


def _judge(reply: _Reply, hops: int) -> tuple[str, str]:
    """Outcome and detail sentence for a final, non-redirect answer."""
    status = reply.status
    text = status_phrase(status) + (f" after {_plural(hops, 'redirect')}" if hops else "")
    if 200 <= status <= 299:
        return "ok", text
    if status in GONE:
        return "broken", text
    if status == 999:
        return "unverifiable", f"{text}: the site refuses automated checkers (LinkedIn-style)"
    if status == 403:  # after HEAD and GET, or a challenge page ("cf-mitigated" header)
        return "unverifiable", f"{text}: looks like a bot challenge"
    if status in REDIRECTS:
        return "unverifiable", f"{text} without a Location header"
    return "unverifiable", text


def _problem(target: Target, doi: str, rule: str, message: str) -> Problem:
    """An error at the target's first use, naming the DOI."""
    file, line = target.sources[0] if target.sources else ("", None)
    return Problem(file, line, f"DOI {doi}: {message}", rule, "error")


def _unchecked(target: Target, doi: str, why: str) -> Problem:
    """The retraction check did not happen: say so rather than pass the DOI as checked."""
    message = f"retraction status could not be checked: {why}"
    return _problem(target, doi, "doi-status-unchecked", message)


def _compare(target: Target, doi: str, facts: dict) -> list[Problem]:
    """Title and status findings from cached or fresh Crossref facts."""
    found: list[Problem] = []
    titles = [t for t in facts.get("titles") or [] if isinstance(t, str) and t.strip()]
    if target.expected_title and titles:
        score = max(title_similarity(target.expected_title, t) for t in titles)
        if score < TITLE_THRESHOLD:
            message = (
                f"Crossref's title \"{titles[0]}\" does not match the bibliography's "
                f'"{target.expected_title}" (similarity {score:.2f})'
            )
            found.append(_problem(target, doi, "doi-title-mismatch", message))
    status, notice = facts.get("status"), facts.get("notice")
    if status != target.expected_status:
        said = "records no retraction, withdrawal, correction or expression of concern"
        if status:
            said = f"says this work was {status}" + (f" (notice {notice})" if notice else "")
        has = f"says {target.expected_status}" if target.expected_status else "has no status"
        message = f"Crossref {said} but the bibliography {has}"
        found.append(_problem(target, doi, "doi-status-mismatch", message))
    return found


def _merge(targets: list[Target]) -> list[Target]:
    """One target per URL (DOIs compared case-insensitively), sources merged in order."""
    merged: dict[str, Target] = {}
    for t in targets:
        doi = doi_of(t.url)
        key = f"doi:{doi.lower()}" if doi else t.url.strip()
        old = merged.setdefault(key, t)
        if old is not t:
            merged[key] = replace(
                old,
                sources=tuple(dict.fromkeys(old.sources + t.sources)),
                expected_title=old.expected_title or t.expected_title,
                expected_status=old.expected_status or t.expected_status,
            )
    return list(merged.values())


async def check(
    targets: list[Target], options: Options, progress: Callable[[int, int], None] | None = None
) -> list[Result]:
    """Check every distinct target; one Result each, in first-seen order."""
    unique = _merge(list(targets))
    cache = _Cache(options.cache_file, options.cache_ttl)
    results: dict[int, Result] = {}

    def finish(i: int, result: Result) -> None:
        results[i] = result
        if progress:
            progress(len(results), len(unique))

    async def one(run: _Run, i: int, target: Target) -> None:
        try:
            result = await run.target(target)
        except Exception as exc:  # a checker bug must not sink the whole run
            result = Result(target, "unverifiable", None, None, f"checker error: {exc!r}")
        finish(i, result)

    connector = aiohttp.TCPConnector(limit=options.total, limit_per_host=options.per_host)
    headers = {"User-Agent": options.user_agent, "Accept": "text/html,application/json,*/*;q=0.8"}
    jar = aiohttp.CookieJar(unsafe=True)  # cookie-checking publishers; IP hosts like any other
    async with aiohttp.ClientSession(
        connector=connector, headers=headers, cookie_jar=jar
    ) as session:
        run = _Run(session, options, cache)
        tasks = [asyncio.create_task(one(run, i, t)) for i, t in enumerate(unique)]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=max(options.deadline, 0))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
    for i, target in enumerate(unique):
        if i not in results:
            detail = f"not finished within the {options.deadline:g} s deadline for the whole run"
            finish(i, Result(target, "unverifiable", None, None, detail))
    cache.save()
    ordered = [results[i] for i in range(len(unique))]
    if cache.warning:
        for result in ordered:
            result.detail += f"; {cache.warning}"
    return ordered


def check_sync(
    targets: list[Target], options: Options, progress: Callable[[int, int], None] | None = None
) -> list[Result]:
    """``check`` for synchronous callers; runs in a thread of its own when the caller's
    thread already has an event loop (e.g. Playwright's sync API in the same process)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(check(targets, options, progress))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, check(targets, options, progress)).result()
