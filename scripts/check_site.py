#!/usr/bin/env python3
"""Check the built guide before publishing: links and anchors in every language, citations,
translations, review metadata and data files; with --external, every URL and DOI.

    python scripts/check_site.py [--site DIR] [--external] [--format text|json|github|sarif]
                                 [--report FORMAT:FILE ...]

Exit 0: no errors; 1: errors (findings, each at a file and line, in every format, bad data
files and unreadable pages included); 2: the checker could not run at all (the reason on
stderr, and an empty but valid JSON or SARIF report). Never a traceback, unless
CHECK_SITE_DEBUG=1.

The logic lives in scripts/mdma_guide/ (check_cli.py and checker.py).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mdma_guide.check_cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
