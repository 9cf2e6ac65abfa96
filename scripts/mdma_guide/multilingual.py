"""Multilingual behaviour that mkdocs-static-i18n (frozen at 1.3.1) leaves to us.

- one search index per language, so a Spanish reader downloads only Spanish entries;
- absolute hreflang links with x-default, on pages and in the sitemap;
- the language of a page's URL versus the language it is written in (fallbacks).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def prefix(lang: str, default: str) -> str:
    return "" if lang == default else f"{lang}/"


def strip_prefix(url: str, languages: list[str], default: str) -> tuple[str, str]:
    """('es', 'risks/') for 'es/risks/'; (default, url) for an unprefixed URL."""
    first = url.split("/", 1)[0]
    if first in languages and first != default:
        return first, url[len(first) + 1 :]
    return default, url


def split_search_index(index: dict, languages: list[str], default: str) -> dict[str, dict]:
    """One index per language; locations become relative to that language's root."""
    out = {}
    for lang in languages:
        part = copy.deepcopy({k: v for k, v in index.items() if k != "docs"})
        # Lunr's stemmers are named by language, not region: pt-BR searches with "pt".
        part.setdefault("config", {})["lang"] = [lang.split("-")[0].lower()]
        docs = []
        for doc in index.get("docs", []):
            doc_lang, location = strip_prefix(doc.get("location", ""), languages, default)
            if doc_lang == lang:
                docs.append({**doc, "location": location})
        part["docs"] = docs
        out[lang] = part
    return out


def home_alternates(alternates: list[dict], base: str, default: str) -> list[dict]:
    """The language menu's entries pointing at each language's home page (for pages such as
    404 that have no counterpart in the other languages)."""
    base = base if base.endswith("/") else base + "/"
    return [{**alt, "link": base + prefix(alt["lang"], default)} for alt in alternates]


def hreflang_links(site_url: str, path: str, translated: list[str], default: str) -> list:
    """(hreflang, absolute URL) for every language the page really exists in, plus
    x-default (the default language)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    links = [(lang, base + prefix(lang, default) + path) for lang in translated]
    links.append(("x-default", base + path))
    return links


def sitemap_with_x_default(xml_text: str, default: str) -> str:
    """Add an x-default alternate (the default language's URL) to every sitemap entry that
    lacks one; a sitemap that has them all is returned unchanged."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.fromstring(xml_text)  # noqa: S314 - our own build output, not untrusted input
    link_tag = f"{{{XHTML_NS}}}link"
    added = 0
    for url in root.findall(f"{{{SITEMAP_NS}}}url"):
        links = url.findall(link_tag)
        if any(link.get("hreflang") == "x-default" for link in links):
            continue
        target = next((link.get("href") for link in links if link.get("hreflang") == default), None)
        if target:
            ET.SubElement(
                url, link_tag, {"rel": "alternate", "hreflang": "x-default", "href": target}
            )
            added += 1
    if not added:
        return xml_text  # already complete: the same bytes
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
