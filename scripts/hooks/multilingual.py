"""Close mkdocs-static-i18n's gaps, measured in the built site (see README, stack risk).

Why each part exists:
- Search: the plugin writes one combined index for all languages at /search/, so a Spanish
  reader downloads every language and gets English results. After each language build we
  split it into /search/ (default language) and /<lang>/search/, each with its own
  stemmer, stop words, weights and keywords (mdma_guide.search), and point each page's search
  at its own language root.
- 404: every language build writes /404.html, so the last-built language wins. We keep the
  default language's page at /404.html and each language's page at /<lang>/404.html. The
  404 page is a template, not a page, so the plugin leaves its language menu pointing at
  the last page built; we point it at each language's home page.
- hreflang: the theme emits relative alternates with no x-default. We give the templates
  absolute ones (only for languages the page is really translated into) and add x-default
  to the sitemap.
mkdocs-static-i18n runs one build per language; state is kept per site folder and locale.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

from _setup import build_languages, repo_root
from mdma_guide import glossary, multilingual, search, terminology

log = logging.getLogger("mkdocs.hooks.multilingual")
_default_404: dict[str, str] = {}  # site folder -> the default language's 404 page
_building: list[str] = []  # languages whose build is in progress, innermost last
_keywords: dict[str, list[str]] = {}  # page URL -> its front matter search_keywords


def _site_root(config, lang: str, default: str) -> Path:
    site = Path(config.site_dir)
    return site.parent if lang != default and site.name == lang else site


def on_page_context(context, page, config, nav):
    if isinstance(page.meta.get("search_keywords"), list):
        _keywords[page.url] = page.meta["search_keywords"]
    guide = context.get("guide")
    if guide is None:
        return context
    languages, default = build_languages(config)
    lang, path = multilingual.strip_prefix(page.url, languages, default)
    docs = (
        Path(repo_root(config)) / config.docs_dir
        if not Path(config.docs_dir).is_absolute()
        else Path(config.docs_dir)
    )
    src = page.file.src_uri.split("/", 1)[1] if "/" in page.file.src_uri else page.file.src_uri
    translated = [code for code in languages if (docs / code / src).is_file()]
    guide["hreflang"] = multilingual.hreflang_links(
        config.site_url or "/", path, translated, default
    )
    return context


def on_post_page(output, page, config):
    """Point the page's search (Material's ``base``) at its language root."""
    languages, default = build_languages(config)
    lang, path = multilingual.strip_prefix(page.url, languages, default)
    if lang == default:
        return output
    depth = path.count("/")
    base = "/".join([".."] * depth) or "."
    return re.sub(r'("base":\s*)"[^"]*"', lambda m: f'{m.group(1)}"{base}"', output, count=1)


def on_template_context(context, template_name, config):
    # The plugin sets the menu as an attribute of config.extra (which Jinja reads first).
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
    if template_name == "404.html" and alternates:
        default = build_languages(config)[1]
        base = urlsplit(config.site_url or "/").path or "/"
        homes = multilingual.home_alternates(alternates, base, default)
        config.extra.alternate = config.extra["alternate"] = homes
    return context


def on_post_template(output, template_name, config):
    """Keep the default language's 404 page: later language builds overwrite /404.html."""
    languages, default = build_languages(config)
    if template_name == "404.html" and _building and _building[-1] == default:
        _default_404[str(Path(config.site_dir))] = output
    return output


# After mkdocs-static-i18n (-100), which runs the other languages' builds from the default
# language's post-build step and writes the combined search index last.
def on_pre_build(config):
    # The default language's post-build step runs the other builds, which change the shared
    # config; a stack of the builds in progress says which one is finishing.
    _building.append(config.theme.get("language"))


@event_priority(-200)
def on_post_build(config):
    languages, default = build_languages(config)
    lang = _building.pop() if _building else default
    root = _site_root(config, lang, default)
    page = root / "404.html"
    if lang != default:
        if page.exists():
            (root / lang).mkdir(parents=True, exist_ok=True)
            (root / lang / "404.html").write_text(
                page.read_text(encoding="utf-8"), encoding="utf-8"
            )
        return
    if str(root) in _default_404:
        page.write_text(_default_404[str(root)], encoding="utf-8")
    _split_search(root, languages, default, Path(repo_root(config)))
    sitemap = root / "sitemap.xml"
    if sitemap.exists():
        sitemap.write_text(
            multilingual.sitemap_with_x_default(sitemap.read_text(encoding="utf-8"), default),
            encoding="utf-8",
        )
        gz = root / "sitemap.xml.gz"
        if gz.exists():
            gz.unlink()  # stale after the rewrite; the plain sitemap is authoritative
        # Material fetches sitemap.xml from the page's search base, now the language root.
        for code in languages:
            if code != default:
                (root / code / "sitemap.xml").write_text(
                    sitemap.read_text(encoding="utf-8"), encoding="utf-8"
                )


def _split_search(root: Path, languages, default, repo: Path) -> None:
    combined = root / "search" / "search_index.json"
    if not combined.exists():
        return
    index = json.loads(combined.read_text(encoding="utf-8"))
    entries, _ = glossary.load(repo)  # problems are reported by the glossary hook
    variants, _ = terminology.load(repo)
    for code, part in multilingual.split_search_index(index, languages, default).items():
        declared = {}
        for url, words in _keywords.items():
            page_lang, path = multilingual.strip_prefix(url, languages, default)
            if page_lang == code:
                declared[path] = words
        search.tune_index(part, declared, search.synonym_groups(entries, variants, code))
        target = root / multilingual.prefix(code, default) / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(part, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
