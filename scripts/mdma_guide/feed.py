"""An Atom feed (RFC 4287) of each language's changelog.

The changelog (docs/<lang>/about/changelog.md) has one section per date,
``## <date> { #YYYY-MM-DD }``, whose bullets each describe one change and link the pages it
touched. Each bullet becomes one entry, so a reader following one page sees each change to
it: its link is the section's address, its id that address plus the first page it names (or
a hash of its text), its title the date and that page's name, its content the bullet with
every link made absolute, and each touched page is a ``<link rel="related">``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urljoin, urlsplit

import markdown

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHANGELOG = "about/changelog.md"
FEED_FILE = "feed.xml"
SECTION = re.compile(r"^##\s+(?P<title>.+?)\s*\{\s*#(?P<id>\d{4}-\d{2}-\d{2})\s*\}\s*$", re.M)
HREF = re.compile(r'(?P<attr>href)="(?P<url>[^"]*)"')
BULLET = re.compile(r"^- ", re.M)
LINK_TEXT = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")


def changes(body: str) -> list[str]:
    """The top-level bullets of a section (one change each); text before them is left out."""
    starts = [m.start() for m in BULLET.finditer(body)]
    return [body[a:b].strip() for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]


@dataclass
class Section:
    date: dt.date
    anchor: str
    body: str
    related: list[str] = field(default_factory=list)
    html: str = ""


def sections(text: str) -> list[Section]:
    """The dated sections of a changelog, in the order written (newest first)."""
    matches = list(SECTION.finditer(text))
    found = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        # A later heading of another level ends the section too.
        body = re.split(r"^#{1,2}\s", body, maxsplit=1, flags=re.M)[0].strip()
        found.append(Section(dt.date.fromisoformat(match.group("id")), match.group("id"), body))
    return found


def page_url(src: str, target: str) -> str | None:
    """The address (relative to the language root) of a link ``target`` written in the
    Markdown page ``src``; None for external links and links that are not to pages."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(src), parts.path))
    path = path.removesuffix(".md")
    path = path.removesuffix("index") if path.endswith("/index") or path == "index" else path + "/"
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def absolute_html(body: str, src: str, base: str) -> tuple[str, list[str]]:
    """The section's Markdown as HTML with absolute links, and the pages it links."""
    html = markdown.markdown(body)
    related: list[str] = []

    def fix(match):
        url = match.group("url").replace("&amp;", "&")
        page = page_url(src, url)
        if page is not None:
            url = urljoin(base, page)
            related.append(urljoin(base, page.split("#", 1)[0]))
        else:
            url = urljoin(base + posixpath.dirname(src) + "/", url)
        return f'{match.group("attr")}="{escape(url, quote=True)}"'

    return HREF.sub(fix, html), list(dict.fromkeys(related))


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def build(
    text: str,
    *,
    lang: str,
    base: str,
    site_name: str,
    feed_title: str,
    entry_title,
) -> str:
    """The Atom document for a changelog.

    ``base`` is the language's root address (``https://host/es/``); ``entry_title(date)``
    gives an entry's title in the feed's language.
    """
    changelog = urljoin(base, page_url("", CHANGELOG) or "")
    self_url = urljoin(base, FEED_FILE)
    found = sections(text)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    sub(feed, "id", self_url)
    sub(feed, "title", feed_title)
    newest = max((s.date for s in found), default=dt.date(1970, 1, 1))
    sub(feed, "updated", _stamp(newest))
    author = sub(feed, "author")
    sub(author, "name", site_name)
    sub(author, "uri", base)
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=changelog)
    seen: set[str] = set()
    for section in found:
        address = f"{changelog}#{section.anchor}"
        for change in changes(section.body) or [section.body]:
            html, related = absolute_html(change, CHANGELOG, base)
            first = LINK_TEXT.search(change)
            if related:
                key = urlsplit(related[0]).path.strip("/").replace("/", "-") or "home"
            else:
                key = hashlib.sha256(change.encode("utf-8")).hexdigest()[:12]
            if f"{address}-{key}" in seen:  # a second change to the same page that day
                key += "-" + hashlib.sha256(change.encode("utf-8")).hexdigest()[:8]
            seen.add(f"{address}-{key}")
            title = entry_title(section.date)
            if first:
                title = f"{title}: {first.group('text')}"
            entry = sub(feed, "entry")
            sub(entry, "id", f"{address}-{key}")
            sub(entry, "title", title)
            sub(entry, "updated", _stamp(section.date))
            sub(entry, "link", rel="alternate", type="text/html", href=address)
            for url in related:
                sub(entry, "link", rel="related", type="text/html", href=url)
            sub(entry, "content", html, type="html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def head_link(href: str, title: str) -> dict:
    """What the page template needs to announce the feed in ``<head>``."""
    return {"href": href, "title": title, "type": "application/atom+xml"}
