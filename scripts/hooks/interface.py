"""Put each language's interface text into the configuration values Material displays.

Why: mkdocs.yml holds one footer line (``copyright``), one set of colour-toggle names
(``theme.palette``) and one heading-permalink title (the ``toc`` extension's option), so
every language build showed them in English. mkdocs-static-i18n 1.3.1 could override the
first two per language, but not a Markdown extension option; all three come from
docs/data/strings.yaml instead, applied at the start of each language build (after the
i18n plugin has set ``theme.language``), so one file holds every interface string.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from _setup import repo_root
from mdma_guide.errors import SourceError
from mdma_guide.strings import palette_role, strings_for


@event_priority(-150)  # after mkdocs-static-i18n (-100) has set this build's language
def on_config(config):
    try:
        t = strings_for(repo_root(config), config.theme.get("language", "en"))
    except SourceError as exc:  # the first hook to read them: name the file and line
        raise PluginError(f"The interface strings cannot be used:\n{exc}") from None
    config.copyright = t["copyright"]
    for entry in config.theme.get("palette") or []:
        if isinstance(entry, dict) and isinstance(entry.get("toggle"), dict):
            entry["toggle"]["name"] = t["palette_toggle"][palette_role(entry)]
    toc = config.mdx_configs.setdefault("toc", {})
    if toc.get("permalink"):
        toc["permalink_title"] = t["permalink_title"]
    return config
