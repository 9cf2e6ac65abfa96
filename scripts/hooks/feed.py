"""An Atom feed of each language's changelog, announced in every page's head.

Why: readers and clinicians who rely on the guide need to learn about corrections without
revisiting the changelog; a feed needs no account, no third party and no tracking. The feed
is written after each language's build (scripts/mdma_guide/feed.py builds it from the
changelog's Markdown); this hook only finds the files and hands the link to the templates.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.utils import get_relative_url

from _setup import build_languages, rel, repo_root
from mdma_guide import feed
from mdma_guide.sources import read_source
from mdma_guide.strings import long_date, strings_for

log = logging.getLogger("mkdocs.hooks.feed")


def _lang(config) -> str:
    return config.theme.get("language", "en")


def _prefix(config, lang: str) -> str:
    return "" if lang == build_languages(config)[1] else f"{lang}/"


def _changelog(config, lang: str) -> Path:
    docs = Path(repo_root(config)) / config.docs_dir
    return docs / lang / feed.CHANGELOG


def on_page_markdown(markdown, page, config, files):
    """A "Subscribe" link under the changelog's title (raw HTML: the feed is not a page)."""
    if not page.file.src_uri.endswith(feed.CHANGELOG):
        return markdown
    lang = _lang(config)
    text = strings_for(repo_root(config), lang)["feed"]["subscribe"]
    href = get_relative_url(_prefix(config, lang) + feed.FEED_FILE, page.url)
    link = f'<p class="guide-feed"><a href="{href}" type="application/atom+xml">{text}</a></p>'
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            lines[i + 1 : i + 1] = ["", link]
            break
    return "\n".join(lines)


def on_page_context(context, page, config, nav):
    guide = context.get("guide")
    if guide is None:
        return context
    lang = guide.get("lang") or _lang(config)
    if not _changelog(config, lang).is_file():
        return context  # no changelog, no feed (on_post_build writes none)
    strings = strings_for(repo_root(config), lang)
    href = get_relative_url(_prefix(config, lang) + feed.FEED_FILE, page.url)
    title = strings["feed"]["title"].format(site=config.site_name)
    guide["feed"] = feed.head_link(href, title)
    return context


def on_post_build(config):
    lang = _lang(config)
    source = _changelog(config, lang)
    if not source.is_file():
        return
    changelog = read_source(source, rel(str(source), config)).text
    if changelog is None:
        return  # unreadable: the metadata hook reports it at its file and line
    strings = strings_for(repo_root(config), lang)["feed"]
    base = (config.site_url or "/").rstrip("/") + "/" + _prefix(config, lang)
    text = feed.build(
        changelog,
        lang=lang,
        base=base,
        site_name=config.site_name,
        feed_title=strings["title"].format(site=config.site_name),
        entry_title=lambda date: strings["entry"].format(date=long_date(date, lang)),
    )
    # mkdocs-static-i18n builds every language into the same site folder (or, depending on
    # how the build is invoked, into <site>/<lang>): write under the language's own root.
    site = Path(config.site_dir)
    root = site.parent if _prefix(config, lang) and site.name == lang else site
    target = root / _prefix(config, lang) / feed.FEED_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
