"""Validate every page's review metadata and hand it to the templates.

Why: MkDocs treats malformed front matter as no front matter and builds anyway, so a page
could go out without its "last reviewed" date. Readers of a health site need that date.
This hook fails the strict build naming the file and line, and gives the templates the
review box, the evidence label, translated strings and the English-fallback flag.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from mkdocs.utils import get_relative_url

from _setup import build_languages, rel, repo_root, report
from mdma_guide import frontmatter
from mdma_guide.strings import cite_this_page, long_date, strings_for

log = logging.getLogger("mkdocs.hooks.page_metadata")

# Pages the furniture links to, in the reader's language.
LINKS = {
    "home": "",
    "emergency": "emergency/",
    "emergency_numbers": "emergency/#numbers",
    "evidence_labels": "start-here/#evidence-labels",
}


def on_page_markdown(markdown, page, config, files):
    file = rel(page.file.abs_src_path, config)
    fm, problems = frontmatter.read_and_validate(page.file.content_string, file)
    # Overdue reviews are the checker's business (a warning, or an error with
    # --fail-overdue): a correction must never be blocked by an unrelated overdue page.
    report(log, [p for p in problems if p.rule != "review-overdue"])
    return markdown


def on_page_context(context, page, config, nav):
    lang = context.get("i18n_page_locale") or config.theme.get("language", "en")
    strings = strings_for(repo_root(config), lang)
    review = {}
    for key in frontmatter.DATE_FIELDS:
        value = frontmatter.as_date(page.meta.get(key))
        if value:
            review[key] = {"iso": value.isoformat(), "text": long_date(value, lang)}
    evidence = page.meta.get("evidence")
    reviewed = frontmatter.as_date(page.meta.get("last_reviewed"))
    cite = cite_this_page(
        page.title or config.site_name,
        config.site_name,
        page.canonical_url or page.abs_url or page.url,
        reviewed,
        lang,
        strings,
    )
    prefix = "" if lang == build_languages(config)[1] else f"{lang}/"
    context["guide"] = {
        "links": {
            name: get_relative_url(prefix + target, page.url) for name, target in LINKS.items()
        },
        "lang": lang,
        "t": strings,
        "review": review,
        "evidence": evidence if evidence in frontmatter.EVIDENCE_LEVELS else None,
        "cite": cite,
        "is_fallback": bool(context.get("i18n_file_locale"))
        and context.get("i18n_file_locale") != lang,
    }
    return context


def on_template_context(context, template_name, config):
    """The 404 page is a template, not a page: give it the strings and absolute links."""
    if template_name != "404.html":
        return context
    lang = config.theme.get("language", "en")
    base = urlsplit(config.site_url or "/").path or "/"
    prefix = "" if lang == build_languages(config)[1] else f"{lang}/"
    context["guide"] = {
        "lang": lang,
        "t": strings_for(repo_root(config), lang),
        "links": {name: base + prefix + target for name, target in LINKS.items()},
        "review": {},
        "evidence": None,
        "is_fallback": False,
        "not_found": {"base": base, "languages": build_languages(config)[0]},
    }
    return context
