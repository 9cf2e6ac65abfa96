"""The quick-exit button: where it leads, in each language.

The neutral page is a national weather service's home page in the reader's language: an
everyday, advertising-free public site that raises no question on a shared screen. The guide
never requests it; the reader's browser navigates there only when the button is used. Each
language's page is in docs/data/strings.yaml (``locale: quick_exit_page``).
"""

from __future__ import annotations

from .strings import locale_settings

# Shift pressed this many times within this many milliseconds also leaves the page.
PRESSES = 3
WINDOW_MS = 5000


def neutral_page(lang: str) -> str:
    """The page the button opens for readers of ``lang``."""
    return locale_settings(lang)["quick_exit_page"]
