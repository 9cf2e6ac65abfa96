#!/usr/bin/env python3
"""Benchmarks of the guide, in one run (`make bench`): build time and pages; bytes a reader's
browser downloads and search index sizes; Lighthouse scores; link checkers (ours, lychee,
LinkChecker, linkinator) timed on the same site, then on a copy with seeded faults.

The sources are copied first, so edits made during the run do not mix in; every URL loaded is on
127.0.0.1. Writes a Markdown fragment to --out (docs/data/benchmarks.md) and prints it.
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

from mdma_guide.project import load_project  # noqa: E402

BIN, NODE_BIN = Path(sys.executable).parent, ROOT / "bench" / "node_modules" / ".bin"
SOURCES = ("docs", "overrides", "scripts", "mkdocs.yml")  # folders first: copytree makes dest
PAGES = ("", "risks/interactions/", "research/mapp1-and-mapp2/", "neurochemistry/pharmacokinetics/")
LIGHTHOUSE_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
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


def kb(size: int) -> str:
    """Bytes as kB (1000 bytes), one decimal."""
    return f"{size / 1000:.1f} kB"


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


def pages_built(site: Path, langs: tuple) -> dict[str, int]:
    """HTML files per language (the default language at the root), 404 pages excluded."""
    counts = dict.fromkeys(langs, 0)
    for path in site.rglob("*.html"):
        parts = path.relative_to(site).parts
        lang = parts[0] if len(parts) > 1 and parts[0] in langs[1:] else langs[0]
        counts[lang] += path.name != "404.html" or path.parent not in (site, site / lang)
    return counts


def transfer(site: Path) -> list[list]:
    """Bytes downloaded for the last page view of each scenario, in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    cache = {"Cache-Control": "max-age=600"}
    scenarios = [
        ("First visit: home page", ["/"], None),
        ("First visit: /risks/interactions/", ["/risks/interactions/"], None),
        ("First visit: /es/risks/interactions/", ["/es/risks/interactions/"], None),
        ("Second view: /research/ after the home page", ["/", "/research/"], None),
        ("Second view, server sends max-age=600 (as GitHub Pages)", ["/", "/research/"], cache),
    ]
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for label, paths, headers in scenarios:
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
            rows.append([label, len(seen), httpd.responses, kb(httpd.sent), kb(reported)])
        browser.close()
    return rows


def search_indexes(site: Path, langs: tuple) -> list[list]:
    """Raw and gzip size of each language's search index and of one index of all of them."""
    rows, docs, config = [], [], None
    for lang in langs:
        prefix = "" if lang == langs[0] else f"{lang}/"
        data = (site / prefix / "search" / "search_index.json").read_bytes()
        index = json.loads(data)
        config, docs = config or {**index["config"], "lang": list(langs)}, docs + index["docs"]
        rows.append([f"/{prefix}search/search_index.json", len(index["docs"]), data])
    combined = json.dumps({"config": config, "docs": docs}, separators=(",", ":")).encode()
    rows.append(["All languages in one index (before)", len(docs), combined])
    return [[name, n, kb(len(d)), kb(len(gzip.compress(d, 6)))] for name, n, d in rows]


def lighthouse(site: Path, langs: tuple) -> list[list]:
    """Lighthouse (default mobile preset) on PAGES in every language, served locally."""
    rows, env = [], {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    with serve(site) as server:
        prefixes = ["/"] + [f"/{lang}/" for lang in langs[1:]]
        for path in [prefix + page for prefix in prefixes for page in PAGES]:
            log(f"lighthouse {path}")
            cmd = [NODE_BIN / "lighthouse", server.origin + path, "--output=json", "--quiet"]
            _, proc = run([*cmd, f"--chrome-flags={LIGHTHOUSE_FLAGS}"], timeout=300, env=env)
            rows.append([path, *lighthouse_scores(proc)])
    return rows


def lighthouse_scores(proc: subprocess.CompletedProcess) -> list:
    """Scores ×100, LCP, TBT and the audits below 100 outside performance; or 'failed: why'."""
    try:
        report = json.loads(proc.stdout) if proc.returncode == 0 else {}
    except ValueError:
        report = {}
    if not report or report.get("runtimeError"):
        return [f"failed: {report.get('runtimeError', {}).get('message') or why(proc)}"] + [""] * 6
    cats, audits = report["categories"], report["audits"]
    scores = ["–" if (v := cats[c]["score"]) is None else round(v * 100) for c in CATEGORIES]
    refs = [ref for c in CATEGORIES[1:] for ref in cats[c]["auditRefs"] if ref["weight"]]
    failing = sorted({r["id"] for r in refs if audits[r["id"]].get("score") not in (None, 1)})
    metrics = [audits[a]["displayValue"] for a in METRICS]
    return [*scores, *metrics, ", ".join(failing) or "none"]


@dataclass
class Result:
    """One checker's run: how it read the site, wall time, findings {rule, file, text, …}."""

    tool: str
    how: str
    seconds: float = 0.0
    findings: list[dict] = field(default_factory=list)
    error: str = ""


def parse(tool: str, out: str, result: Result) -> list[dict]:
    """A tool's findings: ours as in its JSON, the others' broken links (LinkChecker reports a
    missing anchor as a warning) as {"text": "page -> URL status"}."""
    if tool.startswith("ours"):
        report = json.loads(out)
        stats = report["stats"]
        result.how += (
            f"; the check alone took {stats['offline_seconds']:.2f} s, of which internal links"
            f" and fragments (what the other tools check) {stats['links_seconds']:.2f} s"
        )
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
        tools = [  # name, how it reads the site, command, exit codes of a completed run
            ("ours (check_site.py)", "built HTML and Markdown sources, `--site DIR`",
             [sys.executable, ROOT / "scripts/check_site.py", "--root", root, "--site", site,
              "--format", "json"], (0, 1)),
            ("lychee", "HTML files, `--offline --include-fragments --index-files index.html`",
             [BIN / "lychee", "--offline", "--include-fragments", "--index-files", "index.html",
              "--no-progress", "--extensions", "html", "--root-dir", site, "--format", "json",
              site], (0, 2)),
            ("LinkChecker", "HTTP crawl of the local server, `--no-robots`, AnchorCheck on",
             [BIN / "linkchecker", "-f", config, "--no-robots", "--no-status", "-o", "csv",
              origin + "/"], (0, 1)),
            ("linkinator", "HTTP crawl of the local server, `--recurse --check-fragments`",
             [NODE_BIN / "linkinator", origin + "/", "--recurse", "--check-fragments",
              "--skip", f"^(?!{re.escape(origin)})", "--format", "json"], (0, 1)),
        ]  # fmt: skip
        for tool, how, cmd, ok in tools:
            results.append(result := Result(tool, how))
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
    `path`); another tool catches it if a broken URL it reports matches the regex `token`."""

    label: str
    path: str
    new: str
    rule: str
    token: str = "(?!)"  # noqa: S105 (a regex that matches nothing, not a password)
    where: str = ""
    old: str = ""


FAULTS = (
    Fault("Broken internal link, English page", "docs/en/risks/index.md",
          "See [the page](no-such-page.md).", "link-internal", "no-such-page"),
    Fault("Broken internal link, Spanish page", "docs/es/research/index.md",
          "Véase [la página](../risks/no-existe.md).", "link-internal", "no-existe"),
    Fault("Broken #fragment", "docs/en/therapy/index.md",
          "See [it](medication-washout.md#no-such-section).", "link-anchor", "no-such-section"),
    Fault("Missing image", "docs/en/neurochemistry/index.md",
          "![Diagram](../assets/images/missing-diagram.svg)", "link-internal", "missing-diagram"),
    Fault("Unknown citation key", "docs/en/integration/index.md",
          "A claim [@bench-unknown-2099].", "citation-unknown", "bench-unknown-2099"),
    Fault("Retracted work cited without {.retracted}", "docs/en/relationships/index.md",
          "A claim [@{retracted}].", "citation-retracted"),
    Fault("Translation lacks an English heading anchor", "docs/es/risks/interactions.md", "",
          "translation-anchor", "es/risks/interactions/.*#serotonin-mechanism",
          old=" { #serotonin-mechanism }"),
    Fault("Stale translation (English page edited)", "docs/en/legality/index.md",
          "Added after the translation.", "translation-stale", where="docs/es/legality/index.md"),
)  # fmt: skip


def seed(root: Path) -> list[str]:
    """Apply FAULTS to a copy of the sources; the labels of faults that could not be applied."""
    bib = yaml.safe_load((root / "docs/references.yaml").read_text(encoding="utf-8"))
    retracted = next((e["id"] for e in bib if e.get("status") == "retracted"), "?")
    missing = []
    for fault in FAULTS:
        path, new = root / fault.path, fault.new.replace("{retracted}", retracted)
        text = path.read_text(encoding="utf-8")
        if fault.old and fault.old not in text:
            missing.append(fault.label)
            continue
        text = text.replace(fault.old, new, 1) if fault.old else f"{text.rstrip()}\n\n{new}\n"
        path.write_text(text, encoding="utf-8")
    return missing


def caught(result: Result, fault: Fault) -> str:
    """Whether one tool reported one seeded fault."""
    if result.error:
        return "–"
    if result.tool.startswith("ours"):
        where = fault.where or fault.path
        hits = [f for f in result.findings if (f["rule"], f["file"]) == (fault.rule, where)]
        if hits and all(f["severity"] == "warning" for f in hits):
            return "caught (warning)"
    else:
        hits = [f for f in result.findings if re.search(fault.token, f["text"])]
    return "caught" if hits else "not caught"


def checker_rows(results: list[Result]) -> list[list]:
    """Wall time per tool, against ours, and how many problems it reported on the clean site."""
    ours = None if results[0].error else results[0].seconds
    folders = {"lychee": BIN, "LinkChecker": BIN, "linkinator": NODE_BIN}
    rows = []
    for r in results:
        name = f"{r.tool} {version(r.tool, folders[r.tool])}" if r.tool in folders else r.tool
        ratio = f"{r.seconds / ours:.1f}×" if ours and not r.error else "–"
        wall = r.error or f"{r.seconds:.2f} s"
        rows.append([name, wall, ratio, "" if r.error else len(r.findings), r.how])
    return rows


def table(header: list, rows: list[list]) -> str:
    """A Markdown table, '|' in cells escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure everything in one run; write the Markdown fragment to --out and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs/data/benchmarks.md")
    skips = ("lighthouse", "linkchecker")
    parser.add_argument("--skip", action="append", default=[], choices=skips, help="leave out")
    args = parser.parse_args(argv)
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
        log("bytes transferred (Playwright + Chromium), search index sizes")
        views, indexes = transfer(site), search_indexes(site, langs)
        scores = [] if "lighthouse" in args.skip else lighthouse(site, langs)
        checkers = run_checkers(src, site, tmp, args.skip)
        seeded_src, seeded_site = copy_sources(tmp / "seeded"), tmp / "seeded-site"
        not_seeded = seed(seeded_src)
        build(seeded_src, seeded_site, strict=False)
        seeded = run_checkers(seeded_src, seeded_site, tmp, args.skip)
    minutes = (time.perf_counter() - started) / 60
    model = re.findall(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()) or ["?"]
    chromium = run([CHROMIUM, "--version"], timeout=60)[1].stdout.strip()
    fault_rows = [[f.label] + [caught(r, f) for r in seeded] for f in FAULTS]
    fault_rows.append(["Problems reported in total"] + [len(r.findings) for r in seeded])
    sections = [
        ("**Build.** Wall time of a clean `mkdocs build --strict` into a temporary folder; HTML "
         "pages built per language, 404 pages excluded.",
         ["Build", "Wall time", *(f"Pages ({lang})" for lang in langs)],
         [[f"failed: {build_error}" if build_error else "ok", f"{build_seconds:.1f} s",
           *pages.values()]]),
        ("**Bytes transferred.** Chromium, a fresh context per row; tests/browser.py's gzip "
         "server counts status line, headers and body (Playwright's `sizes()` misses the search "
         "worker).",
         ["View", "Requests", "From the network", "Sent (server)", "Sent (Playwright)"], views),
        ("**Search index.** Each language's index, raw and gzip (level 6, as served), and one "
         "index of all languages' documents: what every reader downloaded before the split.",
         ["Index", "Documents", "Raw", "Gzip"], indexes),
        (f"**Lighthouse.** Lighthouse {version('lighthouse', NODE_BIN)}, mobile preset, one run a "
         "page; scores ×100. Performance varies from run to run (Lighthouse finds this CPU slow).",
         ["Page", "Performance", "Accessibility", "Best practices", "SEO", "LCP", "TBT",
          "Audits below 100 (not performance)"], scores),
        ("**Link checkers.** The same built site, offline (internal links and fragments), one "
         "tool after another; wall time of each tool's process, median of three runs "
         "(LinkChecker: one); ratio = tool time / ours.",
         ["Tool", "Wall time", "vs ours", "Problems reported", "How it read the site"],
         checker_rows(checkers)),
        ("**Seeded faults.** A copy of the sources with these faults, built with `mkdocs build "
         "--no-strict`; every tool run on it (ours with `--root` on the copy)."
         + (f" Not seeded (text not found): {', '.join(not_seeded)}." if not_seeded else ""),
         ["Fault", *(r.tool for r in seeded)], fault_rows),
    ]  # fmt: skip
    cores = len(os.sched_getaffinity(0))
    text = (
        "<!-- Written by scripts/bench.py (make bench): edit the script, not this file. -->\n\n"
        f"Measured on {dt.date.today()}, {cores} cores ({model[0]}), {chromium}, by `make bench` "
        f"(`.venv/bin/python scripts/bench.py`): one run of each unless a table says otherwise, "
        f"{minutes:.1f} min in all.\n\n"
    ) + "\n\n".join(f"{note}\n\n{table(h, rows)}" for note, h, rows in sections if rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    log(f"wrote {args.out} in {minutes:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
