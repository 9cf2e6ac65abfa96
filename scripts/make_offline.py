#!/usr/bin/env python3
"""Build the offline copies of the guide: one zip per language, readable from file://.

    python scripts/make_offline.py [--site DIR] [--out DIR] [--lang LANG ...]

Without --site, builds the site first (strict) into a temporary folder. Writes
OUT/mdma-evidence-guide-<lang>.zip (OUT defaults to dist/) for every language mkdocs.yml
builds, or for those named with --lang. The logic lives in scripts/mdma_guide/offline.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from mdma_guide.offline import build_zip  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402


def build_site(dest: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def make_offline(site: Path, out: Path, langs: tuple[str, ...] | None = None) -> list[Path]:
    languages = load_project(ROOT).languages
    return [build_zip(site, lang, languages, out) for lang in (langs or languages)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the zips go")
    parser.add_argument("--lang", action="append", help="only this language (repeatable)")
    args = parser.parse_args(argv)
    languages = load_project(ROOT).languages
    unknown = sorted(set(args.lang or ()) - set(languages))
    if unknown:
        parser.error(f"unknown language(s) {', '.join(unknown)}; mkdocs.yml has {languages}")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        for path in make_offline(site, args.out, tuple(args.lang or ()) or None):
            print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
