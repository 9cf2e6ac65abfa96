"""Validate every page's review metadata and hand it to the templates.

Why: MkDocs treats malformed front matter as no front matter and builds anyway, so a page
could go out without its "last reviewed" date. Readers of a health site need that date.
This hook fails the strict build naming the file and line, and gives the templates the
review box, the evidence label, translated strings and the English-fallback flag.
"""

from __future__ import annotations

import logging
import os
import types
from pathlib import Path

import mkdocs.structure.files
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from _setup import build_languages, page_source, rel, repo_root, report
from mdma_guide import frontmatter, furniture
from mdma_guide.errors import Problem, SourceError
from mdma_guide.sources import read_source, safe_walk
from mdma_guide.strings import check_languages

log = logging.getLogger("mkdocs.hooks.page_metadata")


class _SafeOs(types.ModuleType):
    """``os`` for MkDocs' file listing, whose walk never follows a link out of docs/ or
    round a loop (MkDocs walks with followlinks=True: a folder linking to its parent
    would otherwise be walked until the path is too long, for minutes)."""

    def __getattr__(self, name):
        return getattr(os, name)


def on_config(config):
    def skip(path: str, reason: str) -> None:
        log.error(str(Problem(rel(path, config), None, f"{reason}: not followed")))

    safe = _SafeOs("os")
    safe.walk = lambda top, topdown=True, onerror=None, followlinks=False: safe_walk(top, skip)
    mkdocs.structure.files.os = safe
    return config


def on_pre_build(config):
    """Interface strings are needed by every page: unusable ones stop the build at once,
    naming the file and line (not as a traceback from whichever hook reads them first)."""
    try:
        problems = check_languages(repo_root(config), build_languages(config)[0])
    except SourceError as exc:
        problems = exc.problems
    if problems:
        text = "\n".join(str(p) for p in problems)
        raise PluginError(f"The interface strings cannot be used:\n{text}") from None


def on_page_read_source(page, config):
    """Read the page ourselves: a binary or undecodable file, or front matter MkDocs must
    not parse (an alias bomb, bad YAML), is reported at its line and built as blank text
    of the same length in lines, so the build goes on and every other problem is listed."""
    path = page.file.abs_src_path
    if path is None:
        return None
    file = rel(path, config)
    source = read_source(Path(path), file)
    if source.problem:
        report(log, [source.problem])
        return ""
    text = source.text
    try:
        frontmatter.split(text, file)
    except SourceError:
        lines = text.splitlines(keepends=True)
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), 0)
        text = "\n" * (end + 1) + "".join(lines[end + 1 :])  # the metadata check reports it
    return text


def on_page_markdown(markdown, page, config, files):
    source = page_source(page.file, config)
    if source is None:
        return markdown  # reported when the source was read
    file = rel(page.file.abs_src_path, config)
    fm, problems = frontmatter.read_and_validate(source, file)
    # Overdue reviews are the checker's business (a warning, or an error with
    # --fail-overdue): a correction must never be blocked by an unrelated overdue page.
    report(log, [p for p in problems if p.rule != "review-overdue"])
    return markdown


def on_page_context(context, page, config, nav):
    languages, default = build_languages(config)
    url = page.canonical_url or page.abs_url or page.url
    context["guide"] = furniture.page(
        repo=repo_root(config),
        lang=context.get("i18n_page_locale") or config.theme.get("language", "en"),
        default=default,
        meta=page.meta,
        title=page.title,
        site_name=config.site_name,
        site_url=config.site_url,
        url=url,
        page_url=page.url,
        body=page.content or "",
        relative=get_relative_url,
        file_lang=context.get("i18n_file_locale"),
        cited=getattr(page, "cited_works", []),
    )
    return context


def on_template_context(context, template_name, config):
    """The 404 page is a template, not a page: give it the strings and absolute links."""
    if template_name == "404.html":
        languages, default = build_languages(config)
        context["guide"] = furniture.not_found(
            repo=repo_root(config),
            lang=config.theme.get("language", "en"),
            default=default,
            languages=languages,
            site_url=config.site_url,
        )
    return context
