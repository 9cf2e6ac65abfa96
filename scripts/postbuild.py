#!/usr/bin/env python3
"""Finish a built site whatever built it: feeds, open data, per-language search indexes, the
sitemap's x-default, and in every page the CSP meta, hreflang alternates and the feed's link.

    python scripts/postbuild.py SITE [--site-url URL]

MkDocs' hooks already do this (a second run changes nothing); another engine's output needs it
(job C in scripts/engines.py). Steps: scripts/mdma_guide/postbuild.py. Languages, site names
and the site address come from mkdocs.yml. Exit 0 when done, 2 when the site or configuration
cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mdma_guide.errors import SourceError  # noqa: E402
from mdma_guide.postbuild import finish  # noqa: E402
from mdma_guide.project import load_project, site_url_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--site-url", help="the published address (default: mkdocs.yml)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file() and not any(args.site.rglob("*.html")):
        print(f"{args.site}: no built pages", file=sys.stderr)
        return 2
    try:
        project = load_project(ROOT)
    except SourceError as exc:
        print("\n".join(str(p) for p in exc.problems), file=sys.stderr)
        return 2
    site_url = args.site_url or site_url_of(ROOT) or "/"
    result = finish(args.site, project, site_url)
    print(result.summary())
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
