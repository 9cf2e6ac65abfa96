"""Render ``[[benchmarks]]`` (about/quality): the benchmark tables in the page's language.

Why: scripts/bench.py used to write one English Markdown fragment that every language
included, so the Spanish and German pages showed English prose and table headers. It now
writes numbers only (docs/data/benchmarks.json); the words come from strings.yaml.
"""

from __future__ import annotations

from _setup import repo_root
from mdma_guide import benchmarks
from mdma_guide.strings import strings_for


def on_page_markdown(markdown, page, config, files):
    if benchmarks.MARKER not in markdown:
        return markdown
    root = repo_root(config)
    lang = config.theme.get("language", "en")
    text = benchmarks.render(benchmarks.load(root), lang, strings_for(root, lang)["bench"])
    return markdown.replace(benchmarks.MARKER, text)
