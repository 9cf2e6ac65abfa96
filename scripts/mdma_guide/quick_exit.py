"""The quick-exit button: where it leads, in each language.

The neutral page is a national weather service's home page in the reader's language: an
everyday, advertising-free public site that raises no question on a shared screen. The guide
never requests it; the reader's browser navigates there only when the button is used.
"""

from __future__ import annotations

NEUTRAL_PAGES = {
    "en": "https://www.metoffice.gov.uk/",
    "es": "https://www.aemet.es/es/portada",
    "de": "https://www.dwd.de/",
}
# Shift pressed this many times within this many milliseconds also leaves the page.
PRESSES = 3
WINDOW_MS = 5000


def neutral_page(lang: str) -> str:
    """The page the button opens for readers of ``lang`` (English for any other language)."""
    return NEUTRAL_PAGES.get(lang, NEUTRAL_PAGES["en"])
