"""Offline copies of the built guide, one zip per language, that work opened from file://.

A language's copy holds its pages (the site root minus the other languages' folders for the
default language; ``<lang>/`` re-rooted for the others) and the shared assets they
reference. Every page is rewritten so that nothing needs a server or the network:

- internal links ``foo/`` become ``foo/index.html``, root-relative URLs become relative, and
  every URL is recomputed for the page's place in the zip;
- links to another language's pages, or to anything not in the copy, point to the online
  site's absolute URL; the language switcher's entries say "(online)";
- Material's search (a Web Worker plus an XHR of the index, both refused on file://), the
  lazy-search deferral and the search-as-you-type form wiring are left out; a small
  same-origin script (assets/javascripts/offline-search.js) searches
  ``search/search_index.js``, written from the built ``search/search_index.json``, loaded
  with a plain <script> when the reader first opens search;
- the Content-Security-Policy is recomputed for the rewritten page (same policy: inline
  scripts by hash; Chromium matches file:// scripts, styles and images against 'self').

Pure functions over files and strings; scripts/make_offline.py is the command line.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .csp import with_csp


def LexborHTMLParser(html: str):  # noqa: N802 - the parser's own name
    """selectolax's parser, imported on use: the build (the download-link hook) imports this
    module, and selectolax is a tool of the offline step and the tests, not of the build."""
    from selectolax.lexbor import LexborHTMLParser as parser

    return parser(html)


ZIP_NAME = "mdma-evidence-guide-{lang}.zip"
# Where the deploy publishes the zips, relative to the site root (README, "Offline copies").
DOWNLOADS = "downloads"
SEARCH_SCRIPT = "assets/javascripts/offline-search.js"
SEARCH_INDEX = "search/search_index.js"
# Files of a language folder that make no sense offline.
SKIP = {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
URL_ATTRS = ("href", "src")
ONLINE_NOTE = {"en": "online", "es": "en línea", "de": "online"}
ONLINE_TITLE = {
    "en": "Online version (needs an internet connection)",
    "es": "Versión en línea (necesita conexión a internet)",
    "de": "Online-Version (braucht eine Internetverbindung)",
}
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)</script>', re.S)
MD_SCOPE = re.compile(r'__md_scope=new URL\("[^"]*",location\)')


def zip_name(lang: str) -> str:
    return ZIP_NAME.format(lang=lang)


DOWNLOAD_MARKER = re.compile(r'href="offline-copy:([a-z]{2,3}(?:-[A-Za-z]+)?)"')


def download_url(site_url: str, lang: str) -> str:
    """The published address of a language's zip: absolute, from site_url."""
    return f"{site_url.rstrip('/')}/{DOWNLOADS}/{zip_name(lang)}"


def render_download_links(html: str, site_url: str) -> str:
    """Links written ``[…](offline-copy:es)`` in Markdown, pointed at the published zip.

    Absolute on purpose: the zips exist only after ``make offline`` (the deploy copies them
    into the site), so a relative link would fail the strict build's and the checker's
    internal-link checks on every ordinary build; and inside an offline copy the link must
    lead to the online file anyway, not into the copy itself."""
    return DOWNLOAD_MARKER.sub(lambda m: f'href="{download_url(site_url, m.group(1))}"', html)


@dataclass
class Language:
    """One language of a built site: which site paths belong to it and how they re-root."""

    lang: str
    languages: tuple[str, ...]  # default language first
    site_url: str  # absolute, ends with "/"

    @property
    def prefix(self) -> str:
        return "" if self.lang == self.languages[0] else f"{self.lang}/"

    def owner(self, path: str) -> str | None:
        """The language a site path belongs to; None for shared files (assets)."""
        head = path.split("/", 1)[0]
        if head in self.languages[1:]:
            return head
        if path.startswith("assets/"):
            return None
        return self.languages[0]

    def to_zip(self, path: str) -> str:
        return path[len(self.prefix) :] if self.owner(path) == self.lang else path


def resolve(url: str, page: str, base_path: str = "/") -> tuple[str, str] | None:
    """The site path a relative or root-relative URL points to, from the page at site path
    ``page``, and its query+fragment; None for absolute URLs, fragments, data: and the like."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None
        joined = path[len(base_path) :]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    trailing = path.endswith("/") or path.endswith("/.") or path in (".", "..")
    norm = posixpath.normpath(joined) if joined else "."
    if norm.startswith(".."):
        return None
    norm = "" if norm == "." else norm
    if trailing and norm:
        norm += "/"
    rest = (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else ""
    )
    return norm, rest


def target_file(path: str, exists) -> str:
    """The file a site path serves: directories (and "") give their index.html."""
    if path == "" or path.endswith("/"):
        return path + "index.html"
    if not exists(path) and exists(path + "/index.html"):
        return path + "/index.html"
    return path


def relative(target: str, page: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


@dataclass
class Rewriter:
    """Rewrites the pages of one language for its zip and collects the assets they need."""

    language: Language
    exists: object  # callable: site path -> bool (a file)
    assets: set[str] = field(default_factory=set)

    @property
    def base_path(self) -> str:
        return urlsplit(self.language.site_url).path or "/"

    def rewrite_url(self, url: str, page: str) -> tuple[str, bool]:
        """The URL for the page's zip copy, and whether it now points online."""
        found = resolve(url, page, self.base_path)
        if found is None:
            return url, False
        path, rest = found
        target = target_file(path, self.exists)
        lang = self.language
        if self.exists(target) and target not in SKIP and not target.endswith(".map"):
            owner = lang.owner(target)
            if owner is None:
                self.assets.add(target)
                return relative(target, lang.to_zip(page)) + rest, False
            if owner == lang.lang and target[len(lang.prefix) :] not in SKIP:
                return relative(lang.to_zip(target), lang.to_zip(page)) + rest, False
        return lang.site_url + path + rest, True

    def rewrite_page(self, html: str, page: str) -> str:
        """One page (site path ``page``, e.g. ``es/about/index.html``) for the zip."""
        lang = self.language
        zpage = lang.to_zip(page)
        root = "../" * zpage.count("/")
        tree = LexborHTMLParser(html)
        for node in tree.css('meta[http-equiv="Content-Security-Policy"]'):
            node.decompose()
        for node in tree.css("script[src]"):
            if node.attributes.get("src", "").endswith("lazy-search.js"):
                node.decompose()
        for node in tree.css("link[rel=canonical], link[hreflang]"):
            node.decompose()  # absolute addresses of the online pages: no use offline
        for node in tree.css("[href], [src]"):
            for attr in URL_ATTRS:
                value = node.attributes.get(attr)
                if value is None:
                    continue
                new, online = self.rewrite_url(value, page)
                node.attrs[attr] = new
                if online and node.tag == "a" and node.attributes.get("hreflang"):
                    node.attrs["title"] = ONLINE_TITLE.get(lang.lang, ONLINE_TITLE["en"])
                    note = ONLINE_NOTE.get(lang.lang, ONLINE_NOTE["en"])
                    node.insert_child(f" ({note})")
        for node in tree.css("[data-guide-exit]"):
            # Quick exit forgets the guide's saved settings under this path prefix; offline,
            # the copy's location is not known in advance: forget every ".__" key of file://.
            node.attrs["data-root"] = ""
        # Material's search stays unmounted (no worker, no index request): offline-search.js
        # drives the same box and result list.
        for node in tree.css('[data-md-component="search"]'):
            del node.attrs["data-md-component"]
            node.attrs["data-guide-offline-search"] = ""
        for node in tree.css('form[name="search"]'):
            del node.attrs["name"]
        body = tree.body
        if body is not None:
            script = tree.create_node("script")
            script.attrs["src"] = root + SEARCH_SCRIPT
            script.attrs["data-index"] = root + SEARCH_INDEX
            script.attrs["data-root"] = root
            body.insert_child(script)
        self.assets.add(SEARCH_SCRIPT)  # published with the theme's assets (overrides/)
        out = tree.html or ""
        out = MD_SCOPE.sub(f'__md_scope=new URL("{root or "."}",location)', out)
        out = CONFIG.sub(lambda m: m.group(1) + _without_search(m.group(2)) + "</script>", out)
        return with_csp(out)


def _without_search(config: str) -> str:
    """Material's configuration without the search worker's address (never started)."""
    data = json.loads(config)
    data.pop("search", None)
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def search_index_js(index_json: str) -> str:
    """The language's search index as a script: ``docs`` of {location, title, text}, text
    without markup, assigned to a global that offline-search.js reads."""
    data = json.loads(index_json)
    docs = []
    for doc in data.get("docs", []):
        text = doc.get("text") or ""
        if "<" in text:
            text = LexborHTMLParser(f"<div>{text}</div>").text(separator=" ")
        docs.append(
            {
                "location": doc.get("location", ""),
                "title": re.sub(r"<[^>]+>", "", doc.get("title") or ""),
                "text": re.sub(r"\s+", " ", text).strip(),
            }
        )
    payload = json.dumps({"docs": docs}, ensure_ascii=False, separators=(",", ":"))
    # "</" cannot end a script element when the payload is a file, but keep it inert anyway.
    return "window.__guideOfflineIndex = " + payload.replace("</", "<\\/") + ";\n"


def site_url_of(site: Path) -> str:
    """The online address the site was built for (the root page's canonical link)."""
    tree = LexborHTMLParser((site / "index.html").read_text(encoding="utf-8"))
    node = tree.css_first("link[rel=canonical]")
    url = node.attributes.get("href") if node else None
    if not url:
        raise ValueError(f"{site / 'index.html'} has no canonical link: cannot tell site_url")
    return url if url.endswith("/") else url + "/"


def build_zip(site: Path, lang: str, languages: tuple[str, ...], out: Path) -> Path:
    """Write the offline zip of ``lang`` into ``out`` and return its path."""
    language = Language(lang, languages, site_url_of(site))

    def exists(path: str) -> bool:
        return (site / path).is_file()

    rewriter = Rewriter(language, exists)
    top = zip_name(lang).removesuffix(".zip")
    prefix_dir = site / language.prefix if language.prefix else site
    others = {site / other for other in languages[1:] if other != lang}
    files = sorted(
        p for p in prefix_dir.rglob("*") if p.is_file() and not any(o in p.parents for o in others)
    )
    out.mkdir(parents=True, exist_ok=True)
    target = out / zip_name(lang)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:

        def write(name: str, data: bytes | str) -> None:
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

        for path in files:
            rel = path.relative_to(site).as_posix()
            if language.owner(rel) != lang or rel.startswith(f"{DOWNLOADS}/"):
                continue
            zrel = language.to_zip(rel)
            if zrel in SKIP or zrel.endswith(".map"):
                continue
            if zrel.endswith(".html"):
                write(zrel, rewriter.rewrite_page(path.read_text(encoding="utf-8"), rel))
            else:
                write(zrel, path.read_bytes())
        index = prefix_dir / "search" / "search_index.json"
        if index.is_file():
            write(SEARCH_INDEX, search_index_js(index.read_text(encoding="utf-8")))
        for asset in sorted(rewriter.assets):
            if (site / asset).is_file():
                write(asset, (site / asset).read_bytes())
    return target
