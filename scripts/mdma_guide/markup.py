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


def valid_toggles(html: str) -> str:
    """The page with its theme toggles owned by an autocomplete="off" form (see above)."""
    html, count = _TOGGLE.subn(rf'\1 form="{TOGGLE_FORM}">', html)
    if not count:
        return html
    form = f'<form id="{TOGGLE_FORM}" autocomplete="off"></form>'
    return re.sub(r'(<input class="md-toggle" data-md-toggle=)', rf"{form}\n\1", html, count=1)
