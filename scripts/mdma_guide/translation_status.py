"""The translation-status table (``[[translation-status]]``: which pages are translated,
stale or missing) and the fallback sentence (``[[translation-fallback]]``: do untranslated
pages show English text?), from the same rules the checker applies (project.translation_states).
"""

from __future__ import annotations

from html import escape

from babel import Locale
from babel.lists import format_list

from .project import Project, translation_states
from .strings import date_locale, strings_for

MARKER = "[[translation-status]]"
FALLBACK = "[[translation-fallback]]"


def render(markdown: str, project: Project, lang: str) -> str:
    """The page with its markers replaced (unchanged when it has none)."""
    if MARKER not in markdown and FALLBACK not in markdown:
        return markdown
    t = strings_for(str(project.root), lang)["translation_status"]
    states = translation_states(project)
    if FALLBACK in markdown:
        markdown = markdown.replace(FALLBACK, fallback_sentence(states, lang, t))
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, status_table(states, t))
    return markdown


def fallback_sentence(states: dict[str, dict[str, str]], lang: str, t: dict) -> str:
    """Whether any page falls back to English, and in which languages, in ``lang``."""
    locale = Locale.parse(date_locale(lang))  # 'pt-BR' is a language tag, not a Babel locale

    def name(code: str) -> str:
        return locale.languages.get(code.replace("-", "_"), locale.languages.get(code, code))

    missing = {code: list(pages.values()).count("missing") for code, pages in states.items()}
    if not any(missing.values()):
        return t["fallback_none"].format(
            languages=format_list([name(code) for code in states], locale=locale)
        )
    counts = [
        t["fallback_missing"][locale.plural_form(n)].format(count=n, language=name(code))
        for code, n in missing.items()
        if n
    ]
    return t["fallback_some"].format(missing=format_list(counts, locale=locale))


def status_table(states: dict[str, dict[str, str]], t: dict) -> str:
    languages = list(states)
    pages = list(next(iter(states.values()), {}))
    totals = {lang: {"ok": 0, "stale": 0, "missing": 0} for lang in languages}
    rows = []
    for page_path in pages:
        cells = []
        for lang in languages:
            state = states[lang][page_path]
            totals[lang][state] += 1
            cells.append(f'<td data-sort="{state}">{escape(t[state])}</td>')
        rows.append(f"<tr><td><code>{escape(page_path)}</code></td>{''.join(cells)}</tr>")
    head = "".join(f'<th scope="col">{escape(lang)}</th>' for lang in languages)
    summary = "".join(
        f"<li><strong>{escape(lang)}</strong>: {n['ok']} {escape(t['ok'])}, "
        f"{n['stale']} {escape(t['stale'])}, {n['missing']} {escape(t['missing'])}</li>"
        for lang, n in totals.items()
    )
    return (
        f'<ul class="translation-summary">{summary}</ul>\n'
        f'<table class="translation-status"><thead><tr><th scope="col">{escape(t["page"])}'
        f"</th>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
