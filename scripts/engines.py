#!/usr/bin/env python3
"""The same mkdocs.yml built with other engines, for the stack plan in README ("Stack").

Gate B: ProperDocs (the maintained fork of MkDocs 1.6.1) must write the very same site as
MkDocs. ``diff`` compares two built trees file by file, names and bytes, ignoring only the
generator tag and the gzip header (whose mtime is the build time).

Job C: Zensical (Material's successor) is tried on the same mkdocs.yml: the page transforms
(mdma_guide.pages) are applied to a copy of the sources first, the engine-neutral
post-processor (scripts/postbuild.py: feeds, open data, search indexes, sitemap, CSP meta,
hreflang alternates, feed links) runs after, and its HTML
is checked feature by feature (``checks``), never judged by its exit code alone.
Zensical has no ``-d`` option, so it builds in a copy of the sources.

Usage:
    python scripts/engines.py diff SITE_A SITE_B
    python scripts/engines.py zensical OUT [--venv .venv-zensical] [--i18n] [--no-overrides]
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import pages, postbuild  # noqa: E402
from mdma_guide.project import load_project, site_url_of  # noqa: E402

SOURCES = ("docs", "overrides", "scripts", "mkdocs.yml")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# The only difference an engine may make: the generator tag (the site sets `generator: false`,
# so there is none today; MkDocs and ProperDocs would name themselves in it).
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
OVERRIDES_LINE = "\n  custom_dir: overrides\n"


# --- Gate B: tree diff --------------------------------------------------------------------


def normalized(path: Path) -> bytes:
    """A file's bytes as compared: without the generator tag; gzip files decompressed, so the
    gzip header's mtime (the build time) is ignored and the content still compared."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.decompress(data)
    if path.suffix == ".html":
        return GENERATOR.sub(b"", data)
    return data


def files_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def first_difference(a: bytes, b: bytes, context: int = 1) -> str:
    """The first differing lines of two texts, as a short unified diff."""
    lines_a = a.decode("utf-8", "replace").splitlines()
    lines_b = b.decode("utf-8", "replace").splitlines()
    diff = difflib.unified_diff(lines_a, lines_b, "A", "B", n=context, lineterm="")
    out = []
    for line in list(diff)[2:14]:
        out.append("    " + (line if len(line) <= 160 else line[:157] + "..."))
    return "\n".join(out)


def diff_trees(a: Path, b: Path, limit: int = 10) -> list[str]:
    """Every difference between two built sites (empty when identical), each a readable line;
    the first ``limit`` differing files also show their first differing lines."""
    names_a, names_b = files_of(a), files_of(b)
    problems = [f"only in A: {n}" for n in sorted(names_a - names_b)]
    problems += [f"only in B: {n}" for n in sorted(names_b - names_a)]
    shown = 0
    for name in sorted(names_a & names_b):
        data_a, data_b = normalized(a / name), normalized(b / name)
        if data_a == data_b:
            continue
        entry = f"differs: {name}"
        if shown < limit:
            entry += "\n" + first_difference(data_a, data_b)
            shown += 1
        problems.append(entry)
    return problems


# --- Job C: Zensical -------------------------------------------------------------------


@dataclass
class Build:
    engine: str
    returncode: int
    output: str
    seconds: float
    site: Path


def build_zensical(venv: Path, out: Path, *, i18n: bool, overrides: bool = True) -> Build:
    """Build the project with Zensical (or the zensical-i18n wrapper) into ``out``.

    ``overrides=False`` drops only the theme's custom_dir line: a diagnostic variant that shows
    what the engine does once the guide's templates are out of the way."""
    command = "zensical-i18n" if i18n else "zensical"
    name = command if overrides else f"{command} (no overrides)"
    with tempfile.TemporaryDirectory(prefix="zensical-") as tmp:
        project = Path(tmp)
        for source in SOURCES:
            src, dst = ROOT / source, project / source
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(src, dst)
        if not overrides:
            config = (project / "mkdocs.yml").read_text(encoding="utf-8")
            assert OVERRIDES_LINE in config, "mkdocs.yml: custom_dir line not found"
            config = config.replace(OVERRIDES_LINE, "\n")
            (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        prerendered = prerender(project)
        start = time.perf_counter()
        proc = subprocess.run(
            [str(venv.absolute() / "bin" / command), "build", "--strict", "--clean"],
            cwd=project,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=900,
        )
        seconds = time.perf_counter() - start
        if out.exists():
            shutil.rmtree(out)
        if (project / "site").is_dir():  # a failed build may still leave pages: check them
            shutil.copytree(project / "site", out)
        else:
            out.mkdir(parents=True)
    output = prerendered + proc.stdout + proc.stderr
    if any(out.rglob("*.html")):  # job C is Zensical plus the engine-neutral post-processor
        output += postprocess(out)
    return Build(name, proc.returncode, output, seconds, out)


def prerender(project: Path) -> str:
    """The page transforms (mdma_guide.pages: data tables, citations, References page,
    glossary) applied to the copied sources, as the MkDocs hooks apply them during the build."""
    result = pages.prerender(load_project(project))
    lines = [f"pre-render: {result.pages} pages, {len(result.problems)} problems\n"]
    lines += [f"  {problem}\n" for problem in result.problems[:20]]
    return "".join(lines)


def postprocess(site: Path) -> str:
    """scripts/postbuild.py over a built site (what the MkDocs hooks also do at build time:
    feeds, open data, per-language search indexes, sitemap, CSP, alternates, feed links)."""
    result = postbuild.finish(site, load_project(ROOT), site_url_of(ROOT) or "/")
    return f"post-processor: {result.summary()}\n"


def versions(venv: Path, *dists: str) -> str:
    """The installed versions of ``dists`` in ``venv``, e.g. 'zensical 0.0.73'."""
    code = (
        "import importlib.metadata as m, sys; "
        "print(', '.join(f'{d} {m.version(d)}' for d in sys.argv[1:]))"
    )
    proc = subprocess.run(
        [str(venv.absolute() / "bin" / "python"), "-c", code, *dists],
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip() or proc.stderr.strip().splitlines()[-1]


# The features the guide needs, checked in any engine's output. Each returns (passed, detail).
def _languages() -> dict[str, str]:
    """Each built language (mkdocs.yml, i18n plugin) and its URL prefix: '' for the default."""
    project = load_project(ROOT)
    return {lang: "" if lang == project.default else f"{lang}/" for lang in project.languages}


LANGS = _languages()
CITING_PAGE = "research/phase-2-to-phase-3/index.html"
TRIALS_PAGE = "research/trials/index.html"


def _read(site: Path, rel: str) -> str | None:
    path = site / rel
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None


def check_languages(site: Path) -> tuple[bool, str]:
    wrong = []
    for lang, prefix in LANGS.items():
        html = _read(site, prefix + "index.html")
        found = re.search(r'<html[^>]* lang="([\w-]+)"', html or "")
        if html is None:
            wrong.append(f"/{prefix}index.html not built")
        elif not found or found[1] != lang:
            wrong.append(f"/{prefix} is lang={found[1] if found else None!r}, not {lang!r}")
    return not wrong, "; ".join(wrong) or ", ".join(LANGS)


def check_hreflang(site: Path) -> tuple[bool, str]:
    missing = []
    for prefix in LANGS.values():
        html = _read(site, prefix + "index.html") or ""
        found = set(re.findall(r'<link rel="\s*alternate"[^>]* hreflang="([\w-]+)"', html))
        lacking = {*LANGS, "x-default"} - found
        if lacking:
            missing.append(f"/{prefix} lacks {', '.join(sorted(lacking))}")
    return not missing, "; ".join(missing) or "every language links every alternate and x-default"


def check_citations(site: Path) -> tuple[bool, str]:
    html = _read(site, CITING_PAGE)
    if html is None:
        return False, f"{CITING_PAGE} not built"
    if "[@" in html:
        return False, "citation keys left as raw [@key] text"
    if '<ol class="references">' not in html or '<li id="ref-' not in html:
        return False, "no numbered reference list"
    return True, "numbered markers and reference list"


def check_data_tables(site: Path) -> tuple[bool, str]:
    html = _read(site, TRIALS_PAGE)
    if html is None:
        return False, f"{TRIALS_PAGE} not built"
    if "[[data:" in html:
        return False, "[[data:trials]] left as raw text"
    if 'id="table-trials"' not in html:
        return False, "no trials table"
    return True, "trials table rendered"


def check_csp(site: Path) -> tuple[bool, str]:
    pages = sorted(site.rglob("*.html"))
    if not pages:
        return False, "no HTML pages"
    meta = 'http-equiv="Content-Security-Policy"'
    lacking = [p for p in pages if meta not in p.read_text(encoding="utf-8", errors="replace")]
    if lacking:
        return False, f"{len(lacking)} of {len(pages)} pages lack the CSP meta"
    return True, f"all {len(pages)} pages"


def check_search(site: Path) -> tuple[bool, str]:
    problems = []
    for lang, prefix in LANGS.items():
        for name in ("search/search_index.json", "search.json"):
            text = _read(site, prefix + name)
            if text is not None:
                break
        else:
            problems.append(f"/{prefix}: no search index")
            continue
        langs = json.loads(text).get("config", {}).get("lang", [])
        if lang not in langs and lang.split("-")[0] not in langs:  # lunr: 'pt' for pt-BR
            problems.append(f"/{prefix}{name}: lang {langs}")
    return not problems, "; ".join(problems) or "one index per language"


def check_feeds(site: Path) -> tuple[bool, str]:
    problems = []
    for lang, prefix in LANGS.items():
        text = _read(site, prefix + "feed.xml")
        if text is None or "<entry>" not in text:
            problems.append(f"/{prefix}feed.xml {'has no entries' if text else 'missing'}")
        elif f'xml:lang="{lang}"' not in text:
            problems.append(f"/{prefix}feed.xml: not xml:lang={lang}")
        html = _read(site, prefix + "index.html") or ""
        if 'type="application/atom+xml"' not in html:
            problems.append(f"/{prefix}: no feed link in the head")
    return not problems, "; ".join(problems) or "a feed per language, linked from every home"


def check_open_data(site: Path) -> tuple[bool, str]:
    package = _read(site, "data/datapackage.json")
    if package is None:
        return False, "data/datapackage.json missing"
    paths = [r["path"] for r in json.loads(package).get("resources", [])]
    missing = [p for p in paths if not (site / "data" / p).is_file()]
    html = _read(site, TRIALS_PAGE) or ""
    if missing:
        return False, f"missing: {', '.join(missing)}"
    if "data/trials.csv" not in html:
        return False, "the trials table does not link its CSV"
    return True, f"{len(paths)} files, linked under the tables"


def check_furniture(site: Path) -> tuple[bool, str]:
    """The page furniture of the guide's templates: the quick-exit button and the review box
    (they need the hooks' page context, which Zensical's templates do not receive yet)."""
    problems = []
    for prefix in LANGS.values():
        html = _read(site, prefix + CITING_PAGE) or ""
        if "data-guide-exit" not in html:
            problems.append(f"/{prefix}: no quick-exit button")
        if 'class="guide-review"' not in html:
            problems.append(f"/{prefix}: no review date")
    if len(problems) > 4:
        problems = [*problems[:4], f"… {len(problems) - 4} more"]
    return not problems, "; ".join(problems) or "quick exit and review date on every language"


CHECKS = {
    "pages per language (every language root)": check_languages,
    "hreflang alternates": check_hreflang,
    "citations (numbered reference list)": check_citations,
    "data tables (research/trials)": check_data_tables,
    "CSP meta on every page": check_csp,
    "search index per language": check_search,
    "Atom feed per language": check_feeds,
    "open data (CSV, JSON, datapackage.json)": check_open_data,
    "page furniture (quick exit, review date)": check_furniture,
}


def checks(site: Path) -> dict[str, tuple[bool, str]]:
    return {name: check(site) for name, check in CHECKS.items()}


def build_summary(build: Build) -> str:
    """Why a build failed, in one line: the last exception line of its output."""
    if build.returncode == 0:
        return f"exit 0 in {build.seconds:.1f} s"
    lines = [line.strip() for line in build.output.splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"[A-Z]\w*(Error|Exception): ", line)]
    errors = errors or [line for line in lines if "rror" in line] or lines[-1:] or ["no output"]
    return f"exit {build.returncode} in {build.seconds:.1f} s: {errors[-1][:300]}"


def table(results: dict[str, dict[str, tuple[bool, str]]], builds: dict[str, str]) -> str:
    """A Markdown pass/fail table: one row per check, one column per engine variant."""
    names = list(results)
    out = ["| Check | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    out.append("| build | " + " | ".join(builds[n].replace("|", "\\|") for n in names) + " |")
    for check in CHECKS:
        cells = []
        for name in names:
            ok, detail = results[name][check]
            cells.append(("pass" if ok else "FAIL") + ": " + detail.replace("|", "\\|"))
        out.append(f"| {check} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    diff = sub.add_parser("diff", help="compare two built sites (gate B)")
    diff.add_argument("a", type=Path)
    diff.add_argument("b", type=Path)
    zen = sub.add_parser("zensical", help="build with Zensical into OUT and check it (job C)")
    zen.add_argument("out", type=Path)
    zen.add_argument("--venv", type=Path, default=ROOT / ".venv-zensical")
    zen.add_argument("--i18n", action="store_true", help="build with the zensical-i18n wrapper")
    zen.add_argument("--no-overrides", action="store_true", help="without theme.custom_dir")
    args = parser.parse_args(argv)
    if args.command == "diff":
        problems = diff_trees(args.a, args.b)
        print("\n".join(problems) or "identical")
        return 1 if problems else 0
    build = build_zensical(args.venv, args.out, i18n=args.i18n, overrides=not args.no_overrides)
    print(build.output, end="")
    print(table({build.engine: checks(build.site)}, {build.engine: build_summary(build)}))
    return build.returncode


if __name__ == "__main__":
    sys.exit(main())
