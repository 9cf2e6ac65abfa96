"""Announce each language's Atom feed: a "Subscribe" link on the changelog page
(mdma_guide.pages.add_feed_link) and a link in every page's head.

Why: readers and clinicians who rely on the guide need to learn about corrections without
revisiting the changelog; a feed needs no account, no third party and no tracking. The feeds
themselves are written after the build by the post-processor (mdma_guide.postbuild, from the
changelog's Markdown: mdma_guide.feed).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils import get_relative_url

from _setup import build_languages, repo_root
from mdma_guide import feed, pages
from mdma_guide.strings import strings_for


def _lang(config) -> str:
    return config.theme.get("language", "en")


def _prefix(config, lang: str) -> str:
    return "" if lang == build_languages(config)[1] else f"{lang}/"


def on_page_markdown(markdown, page, config, files):
    page_in_lang = page.file.src_uri.split("/", 1)[-1]
    lang, default = _lang(config), build_languages(config)[1]
    return pages.add_feed_link(markdown, page_in_lang, page.url, repo_root(config), lang, default)


def on_page_context(context, page, config, nav):
    guide = context.get("guide")
    if guide is None:
        return context
    lang = guide.get("lang") or _lang(config)
    if not (Path(config.docs_dir) / lang / feed.CHANGELOG).is_file():
        return context  # no changelog, no feed (the post-processor writes none)
    strings = strings_for(repo_root(config), lang)
    href = get_relative_url(_prefix(config, lang) + feed.FEED_FILE, page.url)
    title = strings["feed"]["title"].format(site=config.site_name)
    guide["feed"] = feed.head_link(href, title)
    return context
