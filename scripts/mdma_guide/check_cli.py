"""Command line of the checker (entry point: scripts/check_site.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import checker, process_words, readability, report, terminology
from .errors import Problem, SourceError
from .project import Project, load_project
from .strings import check_languages, load_strings

ROOT = Path(__file__).resolve().parents[2]
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "github", "sarif")


def _report_arg(value: str) -> tuple[str, Path]:
    fmt, sep, file = value.partition(":")
    if not sep or fmt not in FORMATS or not file:
        raise argparse.ArgumentTypeError(f"expected FORMAT:FILE with FORMAT one of {FORMATS}")
    return fmt, Path(file)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="check_site.py",
        description="Check the guide's links, anchors, citations, translations, front matter "
        "and data files, in every language. Exit 0: no errors; 1: errors; 2: the checker "
        "could not run (usage, configuration, or a site that does not build for no reason "
        "found in its sources).",
    )
    parser.add_argument(
        "--site", type=Path, help="a built site (default: build into a temporary folder)"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument(
        "--external",
        action="store_true",
        help="also check external URLs and DOIs (and DOI metadata on Crossref)",
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="with --external: only links added since this git ref",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FORMAT:FILE",
        type=_report_arg,
        help="also write the report in another format to a file (repeatable), e.g. "
        "--report sarif:check.sarif",
    )
    parser.add_argument(
        "--fail-overdue", action="store_true", help="overdue reviews are errors, not warnings"
    )
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=dt.date.today(), help=argparse.SUPPRESS
    )
    parser.add_argument("--doi-resolver", default="https://doi.org/", help=argparse.SUPPRESS)
    parser.add_argument(
        "--crossref-api", default="https://api.crossref.org/works/", help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--cache",
        default=os.environ.get("CHECK_SITE_CACHE", ".cache/external-links.json"),
        help="result cache for external checks (only successes are cached)",
    )
    parser.add_argument(
        "--watch-result",
        type=Path,
        help="the registry watch's last result (default: .cache/trials-watch.json if present)",
    )
    parser.add_argument("--timeout", type=float, default=15.0, help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, default=600.0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def build_site(root: Path, into: Path) -> str | None:
    """Build without --strict so the checker can report every problem; None on success."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--clean", "-q", "-d", str(into)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        return _without_traceback(proc.stderr + proc.stdout) or f"exit code {proc.returncode}"
    return None


def _without_traceback(output: str) -> str:
    """The build's error lines and the exception's last line, without the stack frames."""
    kept, in_traceback = [], False
    for line in output.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
            continue
        if in_traceback:
            if line.startswith((" ", "\t")) or not line.strip():
                continue
            in_traceback = False
        if line.strip():
            kept.append(line.rstrip())
    return "\n".join(kept[-20:])


def offline(project: Project, site: Path | None, args) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    problems: list[Problem] = checker.check_files(project)
    bib, bib_problems = checker.load_bibliography(project)
    problems += bib_problems
    try:
        strings = load_strings(str(project.root))
        problems += check_languages(str(project.root), project.languages)
    except SourceError as exc:
        problems += exc.problems
        strings = {"en": {}}
    problems += checker.check_front_matter(project, args.fail_overdue, args.today)
    problems += checker.check_citations(project, bib, strings)
    problems += checker.check_data(project, bib)
    problems += checker.check_registry_staleness(project, bib, args.watch_result)
    problems += checker.check_translations(project)
    readability_problems, readability_summary = readability.check(project)
    problems += readability_problems
    problems += checker.check_list_dates(project)
    problems += terminology.check(project)
    links_started = time.perf_counter()
    if site is not None:  # None: the site did not build
        index = checker.SiteIndex(site)
        md_problems, covered = checker.check_markdown_links(project, index)
        problems += md_problems
        problems += checker.check_html_links(project, index, covered)
        problems += process_words.check(project, site)
    pages = {lang: len(project.pages(lang)) for lang in project.languages}
    stats = {
        "pages": pages,
        "html_files": sum(1 for _ in site.rglob("*.html")) if site is not None else 0,
        "bibliography_entries": len(bib.entries) if bib else 0,
        # Entries whose identifiers were seen only on a copy of the record (shown to readers).
        "checked_on_copy": sum(e.get("checked-on") == "copy" for e in bib.entries.values())
        if bib
        else 0,
        "offline_seconds": round(time.perf_counter() - started, 3),
        "links_seconds": round(time.perf_counter() - links_started, 3),
        "readability": readability_summary,
    }
    return problems, stats


def external(project: Project, args) -> tuple[list[Problem], dict]:
    from . import external as ext
    from .external_targets import collect

    try:
        targets = collect(project, args.changed_since)
    except ValueError as exc:
        raise SourceError(
            Problem("(git)", None, f"--changed-since: {exc}", rule="config")
        ) from None

    options = ext.Options(
        doi_resolver=args.doi_resolver,
        crossref_api=args.crossref_api,
        timeout=args.timeout,
        deadline=args.deadline,
        cache_file=str(project.root / args.cache) if args.cache else None,
    )
    progress = _progress if sys.stderr.isatty() and args.format == "text" else None
    results = ext.check_sync(targets, options, progress)
    if progress:
        sys.stderr.write("\n")
    problems = []
    counts = {"ok": 0, "broken": 0, "unverifiable": 0}
    for result in results:
        counts[result.outcome] += 1
        file, line = result.target.sources[0]
        if result.outcome == "broken":
            problems.append(
                Problem(
                    file,
                    line,
                    f"broken: {result.detail}",
                    rule="link-external",
                    target=result.target.url,
                )
            )
        elif result.outcome == "unverifiable":
            problems.append(
                Problem(
                    file,
                    line,
                    f"cannot verify: {result.detail}",
                    rule="link-unverifiable",
                    severity="warning",
                    target=result.target.url,
                )
            )
        problems += result.problems
    return problems, {"external": counts}


def _progress(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} links")
    sys.stderr.flush()


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return _main(args)
    except KeyboardInterrupt:
        return _cannot_run(args, "interrupted")
    except Exception as exc:  # a checker bug: say so, never as "findings found" (exit 1)
        if os.environ.get("CHECK_SITE_DEBUG"):
            raise
        return _cannot_run(
            args,
            f"internal error ({type(exc).__name__}: {exc}); "
            "rerun with CHECK_SITE_DEBUG=1 for the traceback",
        )


def _cannot_run(args, message: str) -> int:
    """Exit 2 with the reason on stderr and, for the machine formats, a valid empty report."""
    print(f"check_site: {message}", file=sys.stderr)
    outputs = {
        "json": lambda: json.dumps(
            {"findings": [], "stats": {}, "error": message}, indent=2, ensure_ascii=False
        ),
        "sarif": lambda: report.to_sarif([], failure=message),
        "github": lambda: report.to_github(
            [Problem("mkdocs.yml", None, f"the checker could not run: {message}", "config")]
        ),
        "text": lambda: "",
    }
    for fmt, path in getattr(args, "report", []):
        _write(path, outputs[fmt]())
    output = outputs[args.format]()
    if output:
        print(output)
    return EXIT_USAGE


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"check_site: cannot write {path}: {exc.strerror}", file=sys.stderr)


def _main(args) -> int:
    root = args.root.resolve()
    try:
        project = load_project(root)
    except SourceError as exc:
        return _cannot_run(args, str(exc))
    if args.changed_since and not args.external:
        return _cannot_run(args, "--changed-since needs --external")
    with tempfile.TemporaryDirectory(prefix="check-site-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            failure = build_site(root, site)
            if failure:
                # The sources may say why: report their problems (links cannot be checked
                # without a site). Nothing found means the checker cannot run at all.
                problems, stats = offline(project, None, args)
                if not any(p.severity == "error" for p in problems):
                    return _cannot_run(args, f"the site does not build:\n{failure}")
                problems.append(
                    Problem(
                        "mkdocs.yml",
                        None,
                        "the site does not build, so links were not checked: "
                        + failure.splitlines()[-1],
                        rule="build",
                    )
                )
                return _finish(args, problems, stats)
        elif not (site / "index.html").is_file():
            return _cannot_run(args, f"{site} is not a built site (no index.html)")
        problems, stats = offline(project, site.resolve(), args)
        if args.external:
            try:
                ext_problems, ext_stats = external(project, args)
            except SourceError as exc:
                return _cannot_run(args, str(exc))
            problems += ext_problems
            stats.update(ext_stats)
    return _finish(args, problems, stats)


def _finish(args, problems: list[Problem], stats: dict) -> int:
    problems = _dedupe(problems)
    stats["errors"] = sum(p.severity == "error" for p in problems)
    stats["warnings"] = len(problems) - stats["errors"]
    outputs = {
        "json": lambda: report.to_json(problems, stats),
        "github": lambda: report.to_github(problems),
        "sarif": lambda: report.to_sarif(problems),
        "text": lambda colour=False: report.to_text(problems, stats, colour),
    }
    for fmt, path in args.report:
        _write(path, outputs[fmt]())
    colour = args.format == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    output = outputs[args.format](colour) if colour else outputs[args.format]()
    if output:
        print(output)
    return EXIT_FINDINGS if stats["errors"] else EXIT_OK


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.rule, p.file, p.line, re.sub(r"\s+", " ", p.message))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
