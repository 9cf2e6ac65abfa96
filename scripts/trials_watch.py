#!/usr/bin/env python3
"""Compare every ClinicalTrials.gov record named in docs/data/trials.yaml with the registry.

    python scripts/trials_watch.py [--format text|json|github] [--output FILE] [--markdown FILE]

For each NCT ID (a row's ``id`` or ``other_ids``) it fetches the current record from the
registry's public API v2 and reports every difference from the row: overall status,
enrolment (count, actual/anticipated), start, primary completion and completion dates,
results posted, last update posted. Fields the row does not record are not differences.
The last result is written as JSON (default .cache/trials-watch.json), which the site
checker reads to warn about pages reviewed before a cited record changed.

Exit 0: no differences; 1: differences, or records that could not be checked (each a
finding naming the trial); 2: the watch could not run (e.g. unreadable trials file).
The logic lives in scripts/mdma_guide/registry_watch.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mdma_guide import registry_watch as rw  # noqa: E402
from mdma_guide import report  # noqa: E402
from mdma_guide.errors import SourceError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="trials_watch.py",
        description="Compare the ClinicalTrials.gov records named in trials.yaml with the "
        "registry. Exit 0: no differences; 1: differences or records that could not be "
        "checked; 2: could not run.",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument(
        "--trials",
        type=Path,
        default=Path("docs/data/trials.yaml"),
        help="the trials file (default: docs/data/trials.yaml)",
    )
    parser.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(".cache/trials-watch.json"),
        help="where to write the result as JSON (default: .cache/trials-watch.json; '-' for none)",
    )
    parser.add_argument(
        "--markdown", type=Path, help="also write an issue body in Markdown to this file"
    )
    parser.add_argument(
        "--api-base",
        default=rw.API_BASE,
        help=f"the registry API's base URL (default: {rw.API_BASE})",
    )
    defaults = rw.Options()
    parser.add_argument(
        "--timeout", type=float, default=defaults.timeout, help="seconds per request"
    )
    parser.add_argument(
        "--deadline", type=float, default=defaults.deadline, help="seconds for the whole run"
    )
    parser.add_argument(
        "--concurrency", type=int, default=defaults.concurrency, help="requests at once"
    )
    parser.add_argument("--retries", type=int, default=defaults.retries, help=argparse.SUPPRESS)
    parser.add_argument(
        "--retry-after-cap", type=float, default=defaults.retry_after_cap, help=argparse.SUPPRESS
    )
    parser.add_argument("--max-bytes", type=int, default=defaults.max_bytes, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _under(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    root = args.root.resolve()
    if not args.api_base.startswith(("http://", "https://")):
        print(f"trials_watch: --api-base must be an http(s) URL: {args.api_base}", file=sys.stderr)
        return EXIT_USAGE
    if args.timeout <= 0 or args.deadline <= 0 or args.concurrency < 1 or args.max_bytes < 1:
        print("trials_watch: timeouts, concurrency and sizes must be positive", file=sys.stderr)
        return EXIT_USAGE
    trials_path = _under(root, args.trials)
    file = _rel(root, trials_path)
    try:
        items = rw.load_watched(trials_path, file)
    except SourceError as exc:
        print(f"trials_watch: cannot use the trials file: {exc}", file=sys.stderr)
        return EXIT_USAGE
    opts = rw.Options(
        api_base=args.api_base,
        timeout=args.timeout,
        deadline=args.deadline,
        concurrency=args.concurrency,
        retries=max(0, args.retries),
        retry_after_cap=max(0.0, args.retry_after_cap),
        max_bytes=args.max_bytes,
    )
    outcomes = rw.run(items, opts, file)
    now = dt.datetime.now(dt.UTC)
    document = rw.result_document(outcomes, file, opts, now)
    problems = [p for o in outcomes for p in o.problems]
    stats = document["stats"]
    output = {
        "json": lambda: json.dumps(document, indent=2, ensure_ascii=False),
        "github": lambda: report.to_github(problems),
        "sarif": lambda: report.to_sarif(problems),
        "text": lambda: report.to_text(
            problems, stats, sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        ),
    }[args.format]()
    if output:
        print(output)
    code = EXIT_FINDINGS if problems else EXIT_OK
    writes = []
    if str(args.output) != "-":
        writes.append((_under(root, args.output), json.dumps(document, indent=2) + "\n"))
    if args.markdown:
        writes.append((_under(root, args.markdown), rw.to_markdown(outcomes, file, now)))
    for path, text in writes:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"trials_watch: cannot write {path}: {exc.strerror}", file=sys.stderr)
            code = EXIT_USAGE
    return code


if __name__ == "__main__":
    raise SystemExit(main())
