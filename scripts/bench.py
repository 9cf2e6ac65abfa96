#!/usr/bin/env python3
"""Benchmarks of the guide, in one run (`make bench`): build time and pages; bytes a reader's
browser downloads, search index sizes and search quality (hit@1, hit@3 of the editors'
questions, scripts/search_quality.py); Lighthouse scores; link checkers (ours, lychee,
LinkChecker, linkinator) timed on the same site, then on a copy with seeded faults.

The sources are copied first, so edits made during the run do not mix in; every URL loaded is on
127.0.0.1. Writes the measurements to --out (docs/data/benchmarks.json, numbers only: about/quality
renders them in each language with scripts/mdma_guide/benchmarks.py) and prints them in English.
`--render` prints the tables from the existing file without measuring.
"""

import argparse
import contextlib
import csv
import datetime as dt
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]
from browser import CHROMIUM, CHROMIUM_ARGS, SiteHandler, SiteServer  # noqa: E402

import search_quality  # noqa: E402
from mdma_guide import benchmarks, readability  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402
from mdma_guide.strings import strings_for  # noqa: E402

BIN, NODE_BIN = Path(sys.executable).parent, ROOT / "bench" / "node_modules" / ".bin"
SOURCES = ("docs", "overrides", "scripts", "mkdocs.yml")  # folders first: copytree makes dest
PAGES = ("", "risks/interactions/", "research/mapp1-and-mapp2/", "neurochemistry/pharmacokinetics/")
LIGHTHOUSE_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
# The languages the site had before French and Brazilian Portuguese (issue #20): the build
# time of all languages is reported beside theirs, measured in the same run.
BASELINE = ("en", "es", "de")
BUILD_ROUNDS = 3  # builds of each variant, alternated; the median is reported
# The last commit before the engine-neutral core (issue #21 moved the page furniture, the page
# transforms and the post-build steps out of the MkDocs hooks). Its code (mkdocs.yml, overrides,
# scripts) builds today's pages in BASELINE's languages, alternated with today's code in the
# same languages: the core must not make the strict build more than 10 % slower.
CORE_REF = "673b16a"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("largest-contentful-paint", "total-blocking-time")


def log(message: str) -> None:
    """One progress line on stderr."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run(cmd: list, timeout: float = 1800, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """(wall seconds, result) of a command in its own process group, killed on timeout."""
    start = time.perf_counter()
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    proc = subprocess.Popen([str(c) for c in cmd], start_new_session=True, **pipes, **kwargs)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()[0], f"timed out after {timeout:.0f} s"
    return time.perf_counter() - start, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def why(proc: subprocess.CompletedProcess) -> str:
    """A one-line reason a command failed: its last line of stderr (or stdout)."""
    lines = (proc.stderr or proc.stdout or "").strip().splitlines()
    return (lines[-1] if lines else f"exit code {proc.returncode}")[:160]


def version(tool: str, folder: Path = BIN) -> str:
    """A tool's version number, from its --version."""
    out = run([folder / tool.lower(), "--version"], timeout=60)[1].stdout
    return (re.findall(r"\d+(?:\.\d+)+", out) or ["?"])[0]


def kb(size: int) -> float:
    """Bytes as kB (1000 bytes), one decimal."""
    return round(size / 1000, 1)


class CountingHandler(SiteHandler):
    """tests/browser.py's handler (which counts the bytes it sends), adding `extra_headers`."""

    extra_headers: dict = {}

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextlib.contextmanager
def serve(site: Path, headers: dict | None = None):
    """tests/browser.py's SiteServer on a free 127.0.0.1 port, counting what it sends."""
    server = SiteServer(site)
    handler = type("Handler", (CountingHandler,), {"extra_headers": headers or {}})
    server.httpd.RequestHandlerClass = lambda *a: handler(*a, directory=str(site))
    server.httpd.socket.listen(128)  # a backlog of 5 drops connections of parallel crawlers
    with server:
        yield server


def copy_sources(dest: Path) -> Path:
    """Copy what a build reads (mkdocs.yml, docs, overrides, scripts) into dest."""
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, dest / name)
    return dest


def build(root: Path, site: Path, strict: bool = True) -> tuple[float, str]:
    """Build the site from root into site: (wall seconds, '' or why it failed)."""
    flag = "--strict" if strict else "--no-strict"
    log(f"mkdocs build {flag} of {root.name}")
    cmd = [sys.executable, "-m", "mkdocs", "build", flag, "--clean", "-q", "-d", site]
    seconds, proc = run(cmd, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return seconds, "" if proc.returncode == 0 else why(proc)


def only_languages(root: Path, keep: tuple) -> list[str]:
    """Switch off (``build: false``) every language of root/mkdocs.yml not in keep; returns
    the languages switched off. Line-based, so the file's tags and comments stay as they are."""
    path = root / "mkdocs.yml"
    lines, locale, off = path.read_text(encoding="utf-8").split("\n"), None, []
    for i, line in enumerate(lines):
        if m := re.match(r"\s*- locale:\s*(\S+)\s*$", line):
            locale = m.group(1)
        elif locale and re.match(r"\s*build:\s*true\s*$", line) and locale not in keep:
            lines[i] = line.replace("true", "false")
            off.append(locale)
    path.write_text("\n".join(lines), encoding="utf-8")
    return off


def code_of(ref: str, src: Path, dest: Path) -> Path | None:
    """dest with the code of commit ``ref`` (mkdocs.yml, overrides, scripts) and the pages of
    src (docs); None, with the reason logged, when git or the commit is not there."""
    dest.mkdir(parents=True)
    archive = dest / "code.tar"
    paths = ["mkdocs.yml", "overrides", "scripts"]
    try:
        _, proc = run(["git", "-C", ROOT, "archive", "-o", archive, ref, *paths], timeout=120)
        if proc.returncode == 0:
            _, proc = run(["tar", "-x", "-f", archive, "-C", dest], timeout=120)
    except OSError as exc:
        proc = subprocess.CompletedProcess([], 1, "", str(exc))
    if proc.returncode != 0:
        log(f"code of {ref} not available ({why(proc)}): no comparison with it")
        return None
    archive.unlink()
    shutil.copytree(src / "docs", dest / "docs")
    return dest


def build_times(src: Path, first: float, tmp: Path, langs: tuple) -> dict:
    """More strict builds of all languages, of BASELINE only, and of BASELINE with the code of
    CORE_REF, alternated so that all see the same machine: medians of BUILD_ROUNDS each
    (first = the build already made). Without languages beyond BASELINE there is nothing to
    compare: the first build only."""
    if set(langs) <= set(BASELINE) or not set(BASELINE) <= set(langs):
        return {"seconds": first, "runs": [round(first, 1)]}
    baseline = copy_sources(tmp / "baseline-src")
    only_languages(baseline, BASELINE)
    before = code_of(CORE_REF, baseline, tmp / "before-core-src")
    if before is not None:
        only_languages(before, BASELINE)
    runs, base_runs, before_runs = [first], [], []
    for n in range(BUILD_ROUNDS):
        base_runs.append(build(baseline, tmp / f"baseline-site-{n}")[0])
        if before is not None:
            seconds, error = build(before, tmp / f"before-core-site-{n}")
            before_runs.append(seconds) if not error else log(f"{CORE_REF}: {error}")
        if n < BUILD_ROUNDS - 1:
            runs.append(build(src, tmp / f"again-site-{n}")[0])
    full, base = statistics.median(runs), statistics.median(base_runs)
    times = {
        "seconds": full,
        "runs": [round(s, 1) for s in runs],
        "baseline": {
            "languages": list(BASELINE),
            "seconds": round(base, 1),
            "runs": [round(s, 1) for s in base_runs],
        },
        "ratio": round(full / base, 2),
    }
    if before_runs:
        old = statistics.median(before_runs)
        times["before_core"] = {
            "ref": CORE_REF,
            "languages": list(BASELINE),
            "seconds": round(old, 1),
            "runs": [round(s, 1) for s in before_runs],
            "ratio": round(old / base, 2),
        }
    return times


def pages_built(site: Path, langs: tuple) -> dict[str, int]:
    """HTML files per language (the default language at the root), 404 pages excluded."""
    counts = dict.fromkeys(langs, 0)
    for path in site.rglob("*.html"):
        parts = path.relative_to(site).parts
        lang = parts[0] if len(parts) > 1 and parts[0] in langs[1:] else langs[0]
        counts[lang] += path.name != "404.html" or path.parent not in (site, site / lang)
    return counts


def transfer(site: Path) -> list[dict]:
    """Bytes downloaded for the last page view of each scenario, in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    cache = {"Cache-Control": "max-age=600"}
    scenarios = [  # kind (its label is in strings.yaml, bench.transfer), pages, headers
        ("first", ["/"], None),
        ("first", ["/risks/interactions/"], None),
        ("first", ["/es/risks/interactions/"], None),
        ("second", ["/", "/research/"], None),
        ("cached", ["/", "/research/"], cache),
    ]
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for kind, paths, headers in scenarios:
            with serve(site, headers) as server:
                context = browser.new_context()
                page, seen = context.new_page(), []
                page.on("requestfinished", lambda request: seen.append(request))  # noqa: B023
                for path in paths:
                    seen.clear()
                    server.httpd.sent = server.httpd.responses = 0
                    page.goto(server.origin + path, wait_until="networkidle")
                sizes = [r.sizes() for r in seen]  # cached: body = -headers, so 0 in all
                reported = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
                context.close()
            httpd = server.httpd
            rows.append(
                {
                    "kind": kind,
                    "path": paths[-1],
                    "requests": len(seen),
                    "network": httpd.responses,
                    "server_kb": kb(httpd.sent),
                    "playwright_kb": kb(reported),
                }
            )
        browser.close()
    return rows


def search_indexes(site: Path, langs: tuple) -> list[dict]:
    """Raw and gzip size of each language's search index and of one index of all of them."""
    rows, docs, config = [], [], None
    for lang in langs:
        prefix = "" if lang == langs[0] else f"{lang}/"
        data = (site / prefix / "search" / "search_index.json").read_bytes()
        index = json.loads(data)
        config, docs = config or {**index["config"], "lang": list(langs)}, docs + index["docs"]
        rows.append([f"/{prefix}search/search_index.json", len(index["docs"]), data])
    combined = json.dumps({"config": config, "docs": docs}, separators=(",", ":")).encode()
    rows.append([None, len(docs), combined])  # None: all languages in one index (before)
    return [
        {
            "index": name,
            "documents": n,
            "raw_kb": kb(len(d)),
            "gzip_kb": kb(len(gzip.compress(d, 6))),
        }
        for name, n, d in rows
    ]


def search_hits(site: Path, langs: tuple) -> dict:
    """{lang: {queries, hit1, hit3}} (shares, 0-1) for every built language with questions."""
    results = search_quality.measure(site, list(langs), langs[0])
    out = {}
    for lang, rows in results.items():
        rates = search_quality.hit_rates(rows)
        out[lang] = {"queries": len(rows), **{k: round(v, 3) for k, v in rates.items()}}
        log(f"search {lang}: hit@1 {rates['hit1']:.0%}, hit@3 {rates['hit3']:.0%}")
    return out


def lighthouse(site: Path, langs: tuple) -> list[dict]:
    """Lighthouse (default mobile preset) on PAGES in every language, served locally."""
    rows, env = [], {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    with serve(site) as server:
        prefixes = ["/"] + [f"/{lang}/" for lang in langs[1:]]
        for path in [prefix + page for prefix in prefixes for page in PAGES]:
            log(f"lighthouse {path}")
            cmd = [NODE_BIN / "lighthouse", server.origin + path, "--output=json", "--quiet"]
            _, proc = run([*cmd, f"--chrome-flags={LIGHTHOUSE_FLAGS}"], timeout=300, env=env)
            rows.append({"page": path, **lighthouse_scores(proc)})
    return rows


def lighthouse_scores(proc: subprocess.CompletedProcess) -> dict:
    """Scores ×100 (None: no score), LCP and TBT in ms and the audits below 100 outside
    performance; or the error."""
    try:
        report = json.loads(proc.stdout) if proc.returncode == 0 else {}
    except ValueError:
        report = {}
    if not report or report.get("runtimeError"):
        error = report.get("runtimeError", {}).get("message") or why(proc)
        return {"scores": [], "lcp_ms": 0, "tbt_ms": 0, "failing": [], "error": error}
    cats, audits = report["categories"], report["audits"]
    scores = [None if (v := cats[c]["score"]) is None else round(v * 100) for c in CATEGORIES]
    refs = [ref for c in CATEGORIES[1:] for ref in cats[c]["auditRefs"] if ref["weight"]]
    failing = sorted({r["id"] for r in refs if audits[r["id"]].get("score") not in (None, 1)})
    lcp, tbt = (round(audits[a]["numericValue"]) for a in METRICS)
    return {"scores": scores, "lcp_ms": lcp, "tbt_ms": tbt, "failing": failing, "error": ""}


@dataclass
class Result:
    """One checker's run: wall time, findings {rule, file, text, …}, ours' own timings. How
    each tool read the site is said in strings.yaml (bench.checkers.how), by tool."""

    tool: str
    seconds: float = 0.0
    findings: list[dict] = field(default_factory=list)
    error: str = ""
    stats: dict = field(default_factory=dict)


def parse(tool: str, out: str, result: Result) -> list[dict]:
    """A tool's findings: ours as in its JSON, the others' broken links (LinkChecker reports a
    missing anchor as a warning) as {"text": "page -> URL status"}."""
    if tool == "ours":
        report = json.loads(out)
        stats = report["stats"]
        result.stats = {k: stats[k] for k in ("offline_seconds", "links_seconds")}
        return [{**f, "text": f"{f['message']} {f['target'] or ''}"} for f in report["findings"]]
    if tool == "lychee":
        errors = json.loads(out).get("error_map", {}).items()
        return [{"text": f"{page} -> {e['url']} {e['status']}"} for page, es in errors for e in es]
    if tool == "LinkChecker":
        lines = [line for line in out.splitlines() if not line.startswith("# ")]
        rows = csv.DictReader(lines, delimiter=";")
        return [
            {"text": f"{r['parentname']} -> {r['url']} {r['result']} {r['warningstring']}"}
            for r in rows
            if r["valid"] == "False" or "Anchor" in (r["warningstring"] or "")
        ]
    links = [link for link in json.loads(out)["links"] if link["state"] == "BROKEN"]
    return [{"text": f"{x['parent']} -> {x['url']} ({x['status']})"} for x in links]


def run_checkers(root: Path, site: Path, tmp: Path, skip: list) -> list[Result]:
    """Every link checker on one built site, one after another. The crawlers read the local
    server; its `LinkChecker` header lifts LinkChecker's cap of ~3 requests/s to one host."""
    config = tmp / "linkcheckerrc"  # read before LinkChecker, run as root, becomes 'nobody'
    config.write_text("[checking]\nmaxrequestspersecond=1000\n[AnchorCheck]\n")
    results = []
    with serve(site, {"LinkChecker": "bench"}) as server:
        origin = server.origin
        tools = [  # name, command, exit codes of a completed run
            ("ours",
             [sys.executable, ROOT / "scripts/check_site.py", "--root", root, "--site", site,
              "--format", "json"], (0, 1)),
            ("lychee",
             [BIN / "lychee", "--offline", "--include-fragments", "--index-files", "index.html",
              "--no-progress", "--extensions", "html", "--root-dir", site, "--format", "json",
              site], (0, 2)),
            ("LinkChecker",
             [BIN / "linkchecker", "-f", config, "--no-robots", "--no-status", "-o", "csv",
              origin + "/"], (0, 1)),
            ("linkinator",
             [NODE_BIN / "linkinator", origin + "/", "--recurse", "--check-fragments",
              "--skip", f"^(?!{re.escape(origin)})", "--format", "json"], (0, 1)),
        ]  # fmt: skip
        for tool, cmd, ok in tools:
            results.append(result := Result(tool))
            if tool.lower() in skip:
                result.error = "skipped (--skip)"
                continue
            log(f"{tool} on {site.name}")
            # Median of three runs; LinkChecker's crawl takes minutes, so it runs once.
            runs = [run(cmd) for _ in range(1 if tool == "LinkChecker" else 3)]
            result.seconds = statistics.median(seconds for seconds, _ in runs)
            proc = runs[-1][1]
            try:
                if proc.returncode not in ok:
                    raise ValueError(why(proc))
                result.findings = parse(tool, proc.stdout, result)
            except (ValueError, KeyError) as exc:
                result.error = f"failed: {exc}"[:160]
    return results


class Fault(NamedTuple):
    """`new` appended to `path` (or replacing `old`); ours should report `rule` on `where` (or
    `path`); another tool catches it if a broken URL it reports matches the regex `token`.
    `key` names the fault in strings.yaml (bench.faults.labels), which says it to readers."""

    key: str
    path: str
    new: str
    rule: str
    token: str = "(?!)"  # noqa: S105 (a regex that matches nothing, not a password)
    where: str = ""
    old: str = ""


FAULTS = (
    Fault("internal-en", "docs/en/risks/index.md",
          "See [the page](no-such-page.md).", "link-internal", "no-such-page"),
    Fault("internal-es", "docs/es/research/index.md",
          "Véase [la página](../risks/no-existe.md).", "link-internal", "no-existe"),
    Fault("fragment", "docs/en/therapy/index.md",
          "See [it](medication-washout.md#no-such-section).", "link-anchor", "no-such-section"),
    Fault("image", "docs/en/neurochemistry/index.md",
          "![Diagram](../assets/images/missing-diagram.svg)", "link-internal", "missing-diagram"),
    Fault("citation-unknown", "docs/en/integration/index.md",
          "A claim [@bench-unknown-2099].", "citation-unknown", "bench-unknown-2099"),
    Fault("retracted", "docs/en/relationships/index.md",
          "A claim [@{retracted}].", "citation-retracted"),
    Fault("anchor", "docs/es/risks/interactions.md", "",
          "translation-anchor", "es/risks/interactions/.*#serotonin-mechanism",
          old=" { #serotonin-mechanism }"),
    Fault("stale", "docs/en/legality/index.md",
          "Added after the translation.", "translation-stale", where="docs/es/legality/index.md"),
)  # fmt: skip


def seed(root: Path) -> list[str]:
    """Apply FAULTS to a copy of the sources; the keys of faults that could not be applied."""
    bib = yaml.safe_load((root / "docs/references.yaml").read_text(encoding="utf-8"))
    retracted = next((e["id"] for e in bib if e.get("status") == "retracted"), "?")
    missing = []
    for fault in FAULTS:
        path, new = root / fault.path, fault.new.replace("{retracted}", retracted)
        text = path.read_text(encoding="utf-8")
        if fault.old and fault.old not in text:
            missing.append(fault.key)
            continue
        text = text.replace(fault.old, new, 1) if fault.old else f"{text.rstrip()}\n\n{new}\n"
        path.write_text(text, encoding="utf-8")
    return missing


def caught(result: Result, fault: Fault) -> str:
    """Whether one tool reported one seeded fault: caught, caught-warning, not-caught or
    error (keys of bench.faults.results in strings.yaml)."""
    if result.error:
        return "error"
    if result.tool == "ours":
        where = fault.where or fault.path
        hits = [f for f in result.findings if (f["rule"], f["file"]) == (fault.rule, where)]
        if hits and all(f["severity"] == "warning" for f in hits):
            return "caught-warning"
    else:
        hits = [f for f in result.findings if re.search(fault.token, f["text"])]
    return "caught" if hits else "not-caught"


def checker_data(results: list[Result]) -> list[dict]:
    """Wall time per tool, against ours, and how many problems it reported on the clean site."""
    ours = None if results[0].error else results[0].seconds
    folders = {"lychee": BIN, "LinkChecker": BIN, "linkinator": NODE_BIN}
    rows = []
    for r in results:
        rows.append(
            {
                "tool": r.tool,
                "version": version(r.tool, folders[r.tool]) if r.tool in folders else "",
                "seconds": round(r.seconds, 2),
                "ratio": round(r.seconds / ours, 1) if ours and not r.error else None,
                "problems": 0 if r.error else len(r.findings),
                "error": r.error,
                **r.stats,
            }
        )
    return rows


def readability_data(root: Path) -> dict:
    """Each language's key-points and body scores (the checker's readability report)."""
    _, summary = readability.check(load_project(root))
    return {lang: {k: v for k, v in r.items() if k != "scores"} for lang, r in summary.items()}


def main(argv: list[str] | None = None) -> int:
    """Measure everything in one run; write the numbers to --out and print them in English."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / benchmarks.DATA_FILE)
    skips = ("lighthouse", "linkchecker")
    parser.add_argument("--skip", action="append", default=[], choices=skips, help="leave out")
    parser.add_argument(
        "--render", metavar="LANG", help="print the tables of --out in LANG; measure nothing"
    )
    args = parser.parse_args(argv)
    if args.render:
        data = json.loads(args.out.read_text(encoding="utf-8"))
        print(benchmarks.render(data, args.render, strings_for(str(ROOT), args.render)["bench"]))
        return 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        src, site = copy_sources(tmp / "src"), tmp / "site"
        langs = load_project(src).languages
        build_seconds, build_error = build(src, site)
        if build_error:  # measure the rest on a non-strict build rather than stop
            log(f"strict build failed: {build_error}")
            build(src, site, strict=False)
        if not (site / "index.html").is_file():
            log("the site does not build; nothing to measure")
            return 1
        pages = pages_built(site, langs)
        log(f"build time of all languages beside {', '.join(BASELINE)} only")
        times = build_times(src, build_seconds, tmp, langs)
        build_seconds = times.pop("seconds")
        log("bytes transferred (Playwright + Chromium), search index sizes")
        views, indexes = transfer(site), search_indexes(site, langs)
        log("search quality (the editors' questions typed into the search dialog)")
        quality = search_hits(site, langs)
        scores = [] if "lighthouse" in args.skip else lighthouse(site, langs)
        checkers = run_checkers(src, site, tmp, args.skip)
        readable = readability_data(src)
        seeded_src, seeded_site = copy_sources(tmp / "seeded"), tmp / "seeded-site"
        not_seeded = seed(seeded_src)
        build(seeded_src, seeded_site, strict=False)
        seeded = run_checkers(seeded_src, seeded_site, tmp, args.skip)
    minutes = (time.perf_counter() - started) / 60
    model = re.findall(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()) or ["?"]
    chromium = run([CHROMIUM, "--version"], timeout=60)[1].stdout.strip()
    data = {
        "written_by": (
            "scripts/bench.py (make bench): measurements only; edit the script, not this file."
            " about/quality renders them in each language (scripts/mdma_guide/benchmarks.py)."
        ),
        "measured_on": dt.date.today().isoformat(),
        "cores": len(os.sched_getaffinity(0)),
        "cpu": model[0],
        "chromium": chromium,
        "minutes": round(minutes, 1),
        "languages": list(langs),
        "build": {
            "error": build_error,
            "seconds": round(build_seconds, 1),
            "pages": pages,
            **times,
        },
        "transfer": views,
        "search": indexes,
        "search_quality": quality,
        "lighthouse": {
            "version": version("lighthouse", NODE_BIN) if scores else "",
            "rows": scores,
        },
        "checkers": checker_data(checkers),
        "readability": readable,
        "faults": {
            "not_seeded": not_seeded,
            "tools": [r.tool for r in seeded],
            "rows": [{"fault": f.key, "results": [caught(r, f) for r in seeded]} for f in FAULTS],
            "totals": [len(r.findings) for r in seeded],
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1, ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(benchmarks.render(data, langs[0], strings_for(str(ROOT), langs[0])["bench"]))
    log(f"wrote {args.out} in {minutes:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
