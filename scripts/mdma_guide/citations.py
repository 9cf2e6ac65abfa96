"""Pandoc-style citations in Markdown: ``[@key]``, ``[@a; @b]``, ``[@a, p. 4]``.

``[@key]{.retracted}`` is the one way to cite a retracted or withdrawn work: the author
says they know. Markers are numbered in order of first use on the page and link to the
reference list the page ends with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from .bibliography import (
    BLOCKING,
    Bibliography,
    copy_mark,
    format_entry,
    identifier_links,
    status_badge,
)
from .errors import Problem

KEY = r"[A-Za-z0-9][\w:.#$%&+?<>~/-]*"
GROUP = re.compile(
    r"\[(?P<body>@" + KEY + r"(?:,[^;\]]*)?(?:\s*;\s*@" + KEY + r"(?:,[^;\]]*)?)*)\]"
    r"(?P<attr>\{\.retracted\})?"
)
ITEM = re.compile(r"@(?P<key>" + KEY + r")(?:,\s*(?P<locator>[^;\]]*))?")
# Something that looks like a citation but does not parse: report it, never drop it.
SUSPECT = re.compile(r"\[@[^\]]*\]?")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`[^`]*`")
BIBLIOGRAPHY_MARKER = "[[bibliography]]"


@dataclass
class Cited:
    """The citations of one page, in order of first use."""

    order: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def number(self, key: str, line: int) -> int:
        if key not in self.order:
            self.order.append(key)
            self.lines[key] = line
        return self.order.index(key) + 1


def scan(markdown: str, first_line: int = 1):
    """Yield (line number, match) for every citation group outside code."""
    in_fence = False
    for offset, line in enumerate(markdown.split("\n")):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        masked = CODE_SPAN.sub(lambda m: " " * len(m.group()), line)
        for match in GROUP.finditer(masked):
            yield first_line + offset, match


def keys_in(markdown: str) -> list[str]:
    """Every cited key, in order (for the References page's "cited on" links)."""
    return [item.group("key") for _, m in scan(markdown) for item in ITEM.finditer(m["body"])]


def render(
    markdown: str,
    bib: Bibliography,
    file: str,
    lang: str,
    strings: dict,
    first_line: int = 1,
    with_list: bool = True,
) -> tuple[str, Cited, list[Problem]]:
    """Replace citations by numbered markers and append the reference list (the checker,
    which needs only the problems, skips formatting the list)."""
    cited = Cited()
    problems: list[Problem] = []
    out_lines = []
    in_fence = False
    for offset, line in enumerate(markdown.split("\n")):
        number = first_line + offset
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or FENCE.match(line):
            out_lines.append(line)
            continue
        out_lines.append(_render_line(line, number, bib, file, lang, strings, cited, problems))
    text = "\n".join(out_lines)
    if cited.order and with_list:
        text = text.rstrip("\n") + "\n\n" + reference_list(cited, bib, lang, strings) + "\n"
    return text, cited, problems


def _render_line(line, number, bib, file, lang, strings, cited, problems) -> str:
    spans = [(m.start(), m.end()) for m in CODE_SPAN.finditer(line)]

    def in_code(pos: int) -> bool:
        return any(start <= pos < end for start, end in spans)

    def replace(match: re.Match) -> str:
        if in_code(match.start()):
            return match.group(0)
        knowingly = bool(match.group("attr"))
        parts = []
        badges = []
        for item in ITEM.finditer(match.group("body")):
            key, locator = item.group("key"), (item.group("locator") or "").strip()
            if key not in bib:
                problems.append(
                    Problem(
                        file,
                        number,
                        f"unknown citation key '@{key}'{_suggest(key, bib)}",
                        rule="citation-unknown",
                    )
                )
                parts.append(f'<span class="cite-missing">@{escape(key)}</span>')
                continue
            entry = bib[key]
            status = entry.get("status")
            if status in BLOCKING and not knowingly:
                problems.append(
                    Problem(
                        file,
                        number,
                        f"'@{key}' is {status}: cite it as "
                        f"[@{key}]{{.retracted}} and say so in the text",
                        rule="citation-retracted",
                    )
                )
            if knowingly and status not in BLOCKING:
                problems.append(
                    Problem(
                        file,
                        number,
                        f"'@{key}' is marked {{.retracted}} but "
                        "its entry has no retracted/withdrawn status",
                        rule="citation-retracted",
                    )
                )
            n = cited.number(key, number)
            loc = f'<span class="cite-locator">({escape(locator)})</span>' if locator else ""
            parts.append(f'<a href="#ref-{key}">{n}</a>{loc}')
            badge = status_badge(entry, lang, strings)
            if badge and badge not in badges:
                badges.append(badge)
        return f'<sup class="cite">{",".join(parts)}</sup>' + "".join(badges)

    rendered = GROUP.sub(replace, line)
    masked = CODE_SPAN.sub(lambda m: " " * len(m.group()), rendered)
    for suspect in SUSPECT.finditer(masked):
        problems.append(
            Problem(
                file,
                number,
                f"malformed citation '{suspect.group(0)}': use [@key], [@a; @b] or [@key, p. 4]",
                rule="citation-syntax",
            )
        )
    return rendered


def _suggest(key: str, bib: Bibliography) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(bib.entries), n=1, cutoff=0.75)
    return f" (did you mean '@{close[0]}'?)" if close else ""


def reference_list(cited: Cited, bib: Bibliography, lang: str, strings: dict) -> str:
    """The page's numbered reference list (raw HTML, under a translated heading)."""
    items = []
    for key in cited.order:
        entry = bib[key]
        badge = status_badge(entry, lang, strings)
        items.append(
            f'<li id="ref-{key}">{format_entry(entry, lang)} '
            f'<span class="ref-ids">{identifier_links(entry)}{copy_mark(entry, strings)}</span>'
            f"{' ' + badge if badge else ''}</li>"
        )
    heading = escape(strings.get("references", "References"))
    return (
        f"## {heading} {{ #references }}\n\n"
        f'<ol class="references">\n' + "\n".join(items) + "\n</ol>"
    )


def bibliography_page(
    bib: Bibliography,
    cited_on: dict[str, list[tuple[str, str]]],
    lang: str,
    strings: dict,
    topics: dict[str, str],
) -> str:
    """The References page: every cited work once, grouped by topic, with back-links."""
    sections = []
    for topic, title in topics.items():
        keys = sorted(k for k in cited_on if k in bib and bib[k].get("topic") == topic)
        if not keys:
            continue
        items = []
        for key in keys:
            entry = bib[key]
            back = ", ".join(
                f'<a href="{escape(url, quote=True)}">{escape(name)}</a>'
                for name, url in cited_on[key]
            )
            badge = status_badge(entry, lang, strings)
            items.append(
                f'<li id="{key}">{format_entry(entry, lang)} '
                f'<span class="ref-ids">{identifier_links(entry)}{copy_mark(entry, strings)}</span>'
                f"{' ' + badge if badge else ''}"
                f'<br><span class="cited-on">{escape(strings.get("cited_on", "Cited on"))}: '
                f"{back}</span></li>"
            )
        sections.append(
            f"## {escape(title)} {{ #{topic} }}\n\n"
            f'<ul class="bibliography">\n' + "\n".join(items) + "\n</ul>"
        )
    return "\n\n".join(sections)
