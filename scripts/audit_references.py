"""Render every bibliography entry in every language and list the faults a reader would see.

python scripts/audit_references.py            # faults only; exit 1 if any
python scripts/audit_references.py --all      # every rendered entry, faults marked
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mdma_guide import bibliography, reference_audit  # noqa: E402
from mdma_guide.strings import load_strings  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print every rendered entry")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    bib = bibliography.load(root)
    languages = list(load_strings(str(root)))  # every language with interface strings
    kinds: Counter[str] = Counter()
    for key, entry in bib.entries.items():
        for lang in languages:
            html = bibliography.format_entry(entry, lang)
            found = reference_audit.faults(entry, html, lang)
            for fault in found:
                kinds[fault.split(":")[0]] += 1
            if found or args.all:
                print(f"{key} [{lang}] {reference_audit.plain(html)}")
                for fault in found:
                    print(f"    ! {fault}")
    print(f"\n{len(bib.entries)} entries; faults by kind (entry x language):")
    for kind, count in sorted(kinds.items()):
        print(f"  {count:4d}  {kind}")
    return 1 if kinds else 0


if __name__ == "__main__":
    raise SystemExit(main())
