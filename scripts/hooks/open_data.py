"""Link the open data (CSV, JSON, datapackage.json under /data/) under every published table.

Why: researchers and journalists reuse the trials, interactions, legal-status and
emergency-number tables; copying them out of HTML loses the sources and dates. The files are
written after the build by the post-processor (mdma_guide.postbuild, mdma_guide.opendata).
This hook runs before the data-tables hook, which replaces the ``[[data:NAME]]`` markers.
"""

from __future__ import annotations

from _setup import repo_root
from mdma_guide import pages


def on_page_markdown(markdown, page, config, files):
    lang = config.theme.get("language", "en")
    return pages.add_download_links(markdown, page.url, repo_root(config), lang)
