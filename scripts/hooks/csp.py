"""Ship a strict Content-Security-Policy in every page (see scripts/mdma_guide/csp.py).

Why: readers in places where the subject is risky need a guarantee, not a promise, that the
page talks to no other origin. The browser tests load every page under this policy and fail
on any violation. Hosts that can send headers should send the same policy as a header (see
README).
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from _setup import SCRIPTS  # noqa: F401 - puts scripts/ on sys.path
from mdma_guide.csp import with_csp


@event_priority(-300)  # last: after every other change to the page
def on_post_page(output, page, config):
    return with_csp(output)


@event_priority(100)  # first: the multilingual hook keeps a copy of the finished 404 page
def on_post_template(output, template_name, config):
    return with_csp(output) if template_name.endswith(".html") else output
