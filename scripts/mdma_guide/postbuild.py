"""Finishing steps over a built site, whatever built it (issue #21): the Content-Security-Policy
meta and absolute hreflang alternates (with x-default) in every page's head. Each step leaves
a page that already has what it adds unchanged, so it can run after the MkDocs hooks (which do
the same during the build) or alone after another engine (job C, scripts/engines.py).

    python scripts/postbuild.py SITE [--site-url URL]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .csp import with_csp
from .multilingual import hreflang_links
from .project import Project

CSP_META = 'http-equiv="Content-Security-Policy"'
HREFLANG = re.compile(r"<link\b[^>]*\bhreflang=")
CHARSET = '<meta charset="utf-8">'  # the alternates go right after it


@dataclass
class Result:
    pages: int = 0
    csp: int = 0  # pages given the policy
    hreflang: int = 0  # pages given alternates
    skipped: list[str] = field(default_factory=list)  # pages that could not be read


def source_of(page: str) -> list[str]:
    """The Markdown sources a built page (relative to its language root) can come from."""
    if page == "index.html":
        return ["index.md", "README.md"]
    folder = page.removesuffix("index.html").rstrip("/")
    return [f"{folder}/index.md", f"{folder}.md", f"{folder}/README.md"]


def language_of(rel: str, languages: list[str], default: str) -> tuple[str, str]:
    """(language, page relative to the language root) of a built file."""
    first, _, rest = rel.partition("/")
    if first in languages and first != default and rest:
        return first, rest
    return default, rel


def alternates_html(links: list[tuple[str, str]]) -> str:
    # " alternate": the theme's exact [rel=alternate] lookup must not fetch these (main.html).
    return "".join(
        f'\n  <link rel=" alternate" href="{href}" hreflang="{code}">' for code, href in links
    )


def finish(site: Path, project: Project, site_url: str) -> Result:
    """Add what each built page lacks; a page that has it all is not rewritten."""
    languages, default = list(project.languages), project.default
    result = Result()
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        try:
            html = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            result.skipped.append(rel)
            continue
        result.pages += 1
        new = html
        _, page = language_of(rel, languages, default)
        if page != "404.html" and not HREFLANG.search(new) and CHARSET in new:
            translated = [
                code
                for code in languages
                if any((project.lang_dir(code) / src).is_file() for src in source_of(page))
            ]
            if translated:
                url_path = page.removesuffix("index.html")
                links = alternates_html(hreflang_links(site_url, url_path, translated, default))
                new = new.replace(CHARSET, CHARSET + links, 1)
                result.hreflang += new != html
        if CSP_META not in new:
            new = with_csp(new)  # last: the policy hashes the page's inline scripts
            result.csp += CSP_META in new
        if new != html:
            path.write_text(new, encoding="utf-8")
    return result
