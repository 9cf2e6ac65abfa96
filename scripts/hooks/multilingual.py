"""Close mkdocs-static-i18n's gaps, measured in the built site (see README, stack risk).

Why each part exists:
- 404: every language build writes /404.html, so the last-built language wins. We keep the
  default language's page at /404.html and each language's page at /<lang>/404.html. The
  404 page is a template, not a page, so the plugin leaves its language menu pointing at
  the last page built; we point it at each language's home page.
- hreflang: the theme emits relative alternates with no x-default. We give the templates
  absolute ones (only for languages the page is really translated into).
- Search: the plugin writes one combined index for all languages at /search/; each page's
  search points at its own language root, where the post-processor writes that language's
  index.
- After the last language's build, the engine-neutral post-processor (mdma_guide.postbuild:
  feeds, open data, per-language search indexes, sitemap x-default) finishes the site.
mkdocs-static-i18n runs one build per language; state is kept per site folder and locale.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

from _setup import build_languages, repo_root, report
from mdma_guide import multilingual, postbuild
from mdma_guide.project import Project

log = logging.getLogger("mkdocs.hooks.multilingual")
_default_404: dict[str, str] = {}  # site folder -> the default language's 404 page
_building: list[str] = []  # languages whose build is in progress, innermost last


def _project(config) -> Project:
    languages, default = build_languages(config)
    docs = Path(config.docs_dir)
    ordered = (default, *(code for code in languages if code != default))
    return Project(Path(repo_root(config)), ordered, docs)


def _site_root(config, lang: str, default: str) -> Path:
    site = Path(config.site_dir)
    return site.parent if lang != default and site.name == lang else site


def on_page_context(context, page, config, nav):
    guide = context.get("guide")
    if guide is None:
        return context
    project = _project(config)
    lang, path = multilingual.strip_prefix(page.url, list(project.languages), project.default)
    src = page.file.src_uri.split("/", 1)[1] if "/" in page.file.src_uri else page.file.src_uri
    translated = [code for code in project.languages if (project.lang_dir(code) / src).is_file()]
    guide["hreflang"] = multilingual.hreflang_links(
        config.site_url or "/", path, translated, project.default
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
    # Every language is built: the engine-neutral steps. The pages themselves already have
    # their CSP, alternates and feed link from the hooks.
    steps = tuple(step for step in postbuild.STEPS if step != "pages")
    site_url = config.site_url or "/"
    result = postbuild.finish(root, _project(config), site_url, steps)
    report(log, [p for p in result.problems if p.severity != "error"])  # errors: data tables
