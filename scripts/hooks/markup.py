"""Repair theme markup that template overrides cannot reach (scripts/mdma_guide/markup.py).

Why: every page, the 404 pages included, must be valid HTML (tests/test_html_valid.py runs the
W3C Nu checker over the built site), and two invalid attributes come from Material's base.html;
and its ``<html lang>`` drops a language's region (pt-BR becomes pt).
The templates' indentation is also dropped and the guide's own CSS and JavaScript minified,
to keep every first visit under 100 kB.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from _setup import SCRIPTS  # noqa: F401 - puts scripts/ on sys.path
from mdma_guide.markup import collapse_whitespace, html_lang, minify_assets, valid_toggles


def _lang(config) -> str:
    return config.theme.get("language", "en")


def on_post_page(output, page, config):
    return collapse_whitespace(valid_toggles(html_lang(output, _lang(config))))


@event_priority(150)  # before the multilingual hook keeps a copy of the finished 404 page
def on_post_template(output, template_name, config):
    if not template_name.endswith(".html"):
        return output
    return collapse_whitespace(valid_toggles(html_lang(output, _lang(config))))


def on_post_build(config):
    minify_assets(config.site_dir)
