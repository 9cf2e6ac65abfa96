#!/usr/bin/env python3
"""Check the built guide before publishing: links and anchors in every language, citations,
translations, review metadata and data files; with --external, every URL and DOI.

    python scripts/check_site.py [--site DIR] [--external] [--format text|json|github|sarif]

The logic lives in scripts/mdma_guide/ (check_cli.py and checker.py).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mdma_guide.check_cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
