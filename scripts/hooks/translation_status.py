"""Render ``[[translation-status]]``: which pages are translated, stale or missing.

Why: translators and readers should see the state of each language on the site itself,
from the same rules the checker applies (scripts/mdma_guide/checker.py).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from _setup import repo_root
from mdma_guide.project import content_hash, load_project
from mdma_guide.sources import read_source
from mdma_guide.strings import strings_for

MARKER = "[[translation-status]]"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    root = Path(repo_root(config))
    project = load_project(root)
    t = strings_for(str(root), config.theme.get("language", "en"))["translation_status"]
    english = project.pages(project.default)
    rows, totals = [], {lang: {"ok": 0, "stale": 0, "missing": 0} for lang in project.languages[1:]}
    for page_path, en_file in english.items():
        en_text = read_source(en_file, project.rel(en_file)).text
        if en_text is None:
            continue  # unreadable: the metadata hook reports it at its own file and line
        current = content_hash(en_text)
        cells = []
        for lang in project.languages[1:]:
            translated = project.lang_dir(lang) / page_path
            if not translated.exists():
                state = "missing"
            else:
                text = read_source(translated, project.rel(translated)).text or ""
                state = "ok" if f"translated_from: {current}" in text else "stale"
            totals[lang][state] += 1
            cells.append(f'<td data-sort="{state}">{escape(t[state])}</td>')
        rows.append(f"<tr><td><code>{escape(page_path)}</code></td>{''.join(cells)}</tr>")
    head = "".join(f'<th scope="col">{escape(lang)}</th>' for lang in project.languages[1:])
    summary = "".join(
        f"<li><strong>{escape(lang)}</strong>: {n['ok']} {escape(t['ok'])}, "
        f"{n['stale']} {escape(t['stale'])}, {n['missing']} {escape(t['missing'])}</li>"
        for lang, n in totals.items()
    )
    table = (
        f'<ul class="translation-summary">{summary}</ul>\n'
        f'<table class="translation-status"><thead><tr><th scope="col">{escape(t["page"])}'
        f"</th>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
    return markdown.replace(MARKER, table)
