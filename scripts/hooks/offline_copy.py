"""Render ``[…](offline-copy:<lang>)`` links: the published address of that language's
offline zip (scripts/mdma_guide/offline.py, ``make offline``).

Why: each About page offers its language's offline copy, but the zips are made after the
build and copied into the published site by the deploy; the link is absolute, from
site_url, so the strict build and the checker do not look for a file that is not there yet.
"""

from __future__ import annotations

from _setup import SCRIPTS  # noqa: F401 - puts scripts/ on sys.path
from mdma_guide.offline import render_download_links


def on_page_content(html, page, config, files):
    if "offline-copy:" not in html:
        return html
    return render_download_links(html, config.site_url or "/")
