"""Which external URLs and DOIs the online check visits, and where each one is used.

Sources: the bibliography (DOIs, with the title and status Crossref should confirm; URLs of
laws, regulators and registries; PubMed and PMC records), external links written in
Markdown, and URLs in the data files. With ``changed_since``, only targets whose source
lines were added since that git ref, so a pull request is never failed by link rot it did
not cause.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from . import bibliography, checker, datatables
from .external import Target
from .project import Project
from .yamlio import load_yaml_file

EXTERNAL = re.compile(
    r"\]\(\s*<?(?P<url>https?://[^)\s>]+)>?|(?:href|src)=\"(?P<attr>https?://"
    r"[^\"]+)\"|<(?P<auto>https?://[^>\s]+)>"
)


def collect(project: Project, changed_since: str | None = None) -> list[Target]:
    found: dict[str, dict] = {}

    def add(url: str, file: str, line: int | None, title=None, status=None) -> None:
        slot = found.setdefault(url, {"sources": [], "title": title, "status": status})
        slot["sources"].append((file, line))

    bib_file = bibliography.BIB_FILE
    spans: dict[str, tuple[int, int]] = {}
    try:
        raw = load_yaml_file(project.root / bib_file, bib_file)
    except Exception:  # noqa: BLE001 - reported by the offline checks
        raw = []
    bib, _ = bibliography.validate(raw, bib_file) if isinstance(raw, list) else (None, [])
    if bib is not None:
        starts = sorted(line for line in bib.lines.values() if line)
        for key, entry in bib.entries.items():
            line = bib.lines.get(key)
            later = [s for s in starts if line and s > line]
            spans[key] = (line or 0, (later[0] - 1) if later else 10**9)
            if entry.get("DOI"):
                add(f"doi:{entry['DOI']}", bib_file, line, entry.get("title"), entry.get("status"))
            elif entry.get("URL"):
                add(entry["URL"], bib_file, line)
            if entry.get("PMID"):
                add(f"https://pubmed.ncbi.nlm.nih.gov/{entry['PMID']}/", bib_file, line)
            if entry.get("PMCID"):
                add(f"https://pmc.ncbi.nlm.nih.gov/articles/{entry['PMCID']}/", bib_file, line)
            if entry.get("status-notice"):
                add(entry["status-notice"], bib_file, line)
    for lang in project.languages:
        for path in project.pages(lang).values():
            rel = project.rel(path)
            text = checker.read_text(path, rel).text or ""
            for number, line in checker.iter_lines_outside_code(text):
                for match in EXTERNAL.finditer(line):
                    add(
                        match.group("url") or match.group("attr") or match.group("auto"),
                        rel,
                        number,
                    )
    for name in datatables.TABLES:
        path, rel = datatables.data_path(project.root, name)
        if not path.exists():
            continue
        try:
            rows = load_yaml_file(path, rel)
        except Exception:  # noqa: BLE001, S112 - reported by the offline checks
            continue
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and isinstance(row.get("url"), str):
                add(row["url"], rel, row.get("__line__"))
            urls = row.get("urls") if isinstance(row, dict) else None
            for url in urls if isinstance(urls, list) else []:
                if isinstance(url, str):
                    add(url, rel, row.get("__line__"))
    if changed_since:
        added = added_lines(project.root, changed_since)
        found = {
            url: slot
            for url, slot in found.items()
            if any(_is_added(file, line, added, spans) for file, line in slot["sources"])
        }
    return [
        Target(url, tuple(slot["sources"]), slot["title"], slot["status"])
        for url, slot in found.items()
    ]


def _is_added(file: str, line, added: dict[str, set[int]], spans) -> bool:
    lines = added.get(file, set())
    if file == bibliography.BIB_FILE and line:
        span = next((s for s in spans.values() if s[0] == line), (line, line))
        return any(span[0] <= n <= span[1] for n in lines)
    return line in lines


def added_lines(root: Path, ref: str) -> dict[str, set[int]]:
    """Lines added since ``ref`` (committed or not), per repository-relative file."""
    proc = subprocess.run(
        ["git", "diff", "--unified=0", "--no-color", ref, "--", "docs"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise ValueError(proc.stderr.strip() or f"git diff {ref} failed")
    added: dict[str, set[int]] = {}
    current = None
    for line in proc.stdout.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and current:
            match = re.search(r"\+(\d+)(?:,(\d+))?", line)
            start, count = int(match.group(1)), int(match.group(2) or 1)
            added.setdefault(current, set()).update(range(start, start + count))
    return added
