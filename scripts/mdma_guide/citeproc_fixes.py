"""Two places where citeproc-py (0.11) departs from the CSL specification, put right.

1. Substituted variables are not suppressed. CSL 1.0.2, ``cs:substitute``: "Substituted
   variables are suppressed in the rest of the output to prevent duplication." citeproc-py
   records only the substituting element's own ``variable`` attribute, so a substitute that
   calls a macro (the AMA style's ``<text macro="title"/>`` for a work without authors)
   suppresses nothing and the title is printed twice; and ``cs:names`` never looks at the
   record, so an editor put in the authors' place is printed again after "In:". Here the
   record holds every variable the substitute rendered, macros followed, and ``cs:names``
   treats a recorded name variable as empty.
2. Punctuation collisions. CSL 1.0.2, "Punctuation": a delimiter's period after a field
   ending in "?" or "!" is dropped ("a possible link?." reads "a possible link?").
3. Title case after an opening bracket or quote. citeproc-py upper-cases a word's first
   character, so "(accessible version)" became "(accessible Version)"; the first letter is
   the one capitalized.

``apply()`` is idempotent; ``bibliography`` calls it before rendering.
"""

from __future__ import annotations

import re

from citeproc import model
from citeproc import string as csl_string

_NS = "{http://purl.org/net/xbiblio/csl}"
_applied = False


def _rendered_variables(element, seen: frozenset = frozenset()):
    """(tag, variable) for every variable ``element`` can render, macros followed."""
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        for variable in (node.get("variable") or "").split():
            yield node.tag, variable
        macro = node.get("macro")
        if macro and macro not in seen:
            yield from _rendered_variables(node.get_macro(macro), seen | {macro})


def _add_to_repressed_list(self, child, context):
    repressed = context.get_layout().repressed
    for tag, variable in _rendered_variables(child):
        if variable not in repressed.setdefault(tag, []):
            repressed[tag].append(variable)


def _names_respecting_suppression(process):
    def names_process(self, item, names_context=None, context=None, **kwargs):
        layout = (context if context is not None else self).get_layout()
        repressed = getattr(layout, "repressed", {}).get(_NS + "names", ())
        roles = (self.get("variable") or "").split()
        if roles and all(role in repressed for role in roles):
            raise model.VariableError
        return process(self, item, names_context=names_context, context=context, **kwargs)

    names_process.__wrapped__ = process
    return names_process


def _capitalize_first(self):
    first = next((i for i, char in enumerate(self) if char.isalnum()), 0)
    return self.__class__(self[:first] + self[first : first + 1].upper() + self[first + 1 :])


def apply() -> None:
    global _applied
    if _applied:
        return
    model.Substitute.add_to_repressed_list = _add_to_repressed_list
    model.Names.process = _names_respecting_suppression(model.Names.process)
    csl_string.String.capitalize_first = _capitalize_first
    _applied = True


_COLLISION = re.compile(r"([?!])((?:</[a-z]+>)*)\.")


def collapse_punctuation(html: str) -> str:
    """'Title?.' -> 'Title?' (also across closing inline tags: '<i>Title?</i>.')."""
    return _COLLISION.sub(r"\1\2", html)
