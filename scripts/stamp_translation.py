#!/usr/bin/env python3
"""Record in a translation which English version it was made from.

    python scripts/stamp_translation.py docs/es/risks/index.md [more files…]

Sets ``translated_from`` in the translation's front matter to the hash of the English
page's current body; the checker reports the translation as stale when the English page
changes after that. Run it after translating or after bringing a translation up to date.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mdma_guide.project import content_hash, load_project  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def stamp(path: Path, project) -> str:
    rel = path.resolve().relative_to(project.docs.resolve())
    lang, page = rel.parts[0], Path(*rel.parts[1:])
    if lang == project.default or lang not in project.languages:
        folders = ", ".join(project.languages[1:])
        raise ValueError(f"{path}: not in a translation folder ({folders})")
    english = project.lang_dir(project.default) / page
    if not english.is_file():
        raise ValueError(f"{path}: no English page {english.relative_to(project.root)}")
    version = content_hash(english.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path}: no front matter")
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise ValueError(f"{path}: front matter never ends")
    head = re.sub(r"^translated_from:.*\n?", "", head + "\n", flags=re.M).rstrip("\n")
    path.write_text(f"---\n{head}\ntranslated_from: {version}\n---\n{body}", encoding="utf-8")
    return version


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    project = load_project(ROOT)
    status = 0
    for path in args.files:
        try:
            print(f"{path}: {stamp(path, project)}")
        except (ValueError, OSError) as exc:
            print(f"stamp_translation: {exc}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
