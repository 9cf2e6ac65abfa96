"""Render ``[[page-address]]``: the page's own absolute address, language prefix included.

Why: handouts are printed, and a hand-written path ("the address ending in
/clinicians/handouts/…") lost the language prefix, so a Spanish sheet sent readers to the
English page. The build knows each page's address in each language; the sheet prints it.
"""

from __future__ import annotations

MARKER = "[[page-address]]"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, f"`{page.canonical_url or '/' + page.url}`")
