"""Small repairs to the theme's markup that no template override can reach.

Material's base.html (not a partial, and not inside a block) writes its two page toggles as
``<input type="checkbox" autocomplete="off">``. HTML allows autocomplete only on text-like
inputs, so the W3C Nu checker rejects it on every page. The attribute is there for Firefox,
which otherwise restores a checkbox's state on reload and would reopen the menu or the search.
Firefox also honours autocomplete="off" on the input's form owner, which is valid HTML: the
toggles get an empty form of their own, linked by the ``form`` attribute, so they stay
siblings of the page container (the theme's CSS needs that) and Firefox still forgets them.
"""

from __future__ import annotations

import re

TOGGLE_FORM = "__toggles"
_TOGGLE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" '
    r'id="__(?:drawer|search)") autocomplete="off">'
)


_HTML_LANG = re.compile(r'<html lang="[^"]*"')


def html_lang(html: str, lang: str) -> str:
    """The page's ``<html lang>`` set to the build's language code. Material writes its
    translation file's language, which drops the region ("pt" for pt-BR: Portuguese spelling
    and hyphenation differ, and the hreflang alternates name pt-BR)."""
    return _HTML_LANG.sub(f'<html lang="{lang}"', html, count=1)


def valid_toggles(html: str) -> str:
    """The page with its theme toggles owned by an autocomplete="off" form (see above)."""
    html, count = _TOGGLE.subn(rf'\1 form="{TOGGLE_FORM}">', html)
    if not count:
        return html
    form = f'<form id="{TOGGLE_FORM}" autocomplete="off"></form>'
    return re.sub(r'(<input class="md-toggle" data-md-toggle=)', rf"{form}\n\1", html, count=1)


_KEEP = re.compile(r"(<(pre|textarea|script|style)\b[\s\S]*?</\2>)", re.IGNORECASE)
_BETWEEN_TAGS = re.compile(r">\s+<")
_INDENT = re.compile(r"\n[ \t]+")


def collapse_whitespace(html: str) -> str:
    """The page without the templates' indentation: runs of white space between tags become
    one space and line indentation goes, except inside pre, textarea, script and style, where
    white space is content. Browsers render the result the same; it saves about a kilobyte
    compressed on a long page (the 100 kB first-visit budget)."""
    parts = _KEEP.split(html)
    out = []
    # split() with two groups yields: text, whole kept element, tag name, text, ...
    for i in range(0, len(parts), 3):
        text = _INDENT.sub("\n", _BETWEEN_TAGS.sub("> <", parts[i]))
        out.append(text)
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


# The guide's own assets (overrides/assets): Material's are shipped minified already.
OWN_ASSETS = ("assets/stylesheets/guide.css", "assets/javascripts")


def minify_assets(site_dir: str) -> list[str]:
    """Minify the guide's own CSS and JavaScript in a built site, in place; returns the files
    changed. Their source keeps its comments (they say why); readers get the code alone.
    Files whose names already say ``.min.`` are Material's and are left as they are."""
    from pathlib import Path

    import rcssmin
    import rjsmin

    root = Path(site_dir)
    changed = []
    css = root / OWN_ASSETS[0]
    files = [css] if css.is_file() else []
    scripts = root / OWN_ASSETS[1]
    if scripts.is_dir():
        files += [p for p in sorted(scripts.rglob("*.js")) if ".min." not in p.name]
    for path in files:
        text = path.read_text(encoding="utf-8")
        small = rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)
        if small != text:
            path.write_text(small, encoding="utf-8")
            changed.append(path.relative_to(root).as_posix())
    return changed
