"""What the checker needs to know about the project: languages, pages, the built site.

The list of languages lives once, in mkdocs.yml's i18n block; this reads it from there.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem, SourceError
from .sources import read_source, safe_walk


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, tolerating MkDocs' own tags (!ENV, !!python/name)."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("!", _any_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


@dataclass(frozen=True)
class Project:
    root: Path
    languages: tuple[str, ...]  # default language first
    docs: Path

    @property
    def default(self) -> str:
        return self.languages[0]

    def lang_dir(self, lang: str) -> Path:
        return self.docs / lang

    def pages(self, lang: str) -> dict[str, Path]:
        """Markdown pages of one language, by path relative to its folder."""
        base = self.lang_dir(lang)
        if not base.is_dir():
            return {}
        found = [
            Path(folder) / name
            for folder, _, names in safe_walk(str(base), within=str(self.docs))
            for name in names
            if name.endswith(".md")
        ]
        return {p.relative_to(base).as_posix(): p for p in sorted(found)}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def url_of(self, lang: str, page: str) -> str:
        """Site-relative URL of a page (directory URLs), e.g. 'es/risks/'."""
        stem = page[:-3]
        if stem == "index" or stem.endswith("/index"):
            path = stem[: -len("index")]
        else:
            path = stem + "/"
        prefix = "" if lang == self.default else f"{lang}/"
        return prefix + path


def load_project(root: Path) -> Project:
    config_path = root / "mkdocs.yml"
    try:
        config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise SourceError(
            Problem("mkdocs.yml", None, f"cannot read the configuration: {exc}", rule="config")
        ) from None
    languages = []
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = (plugin["i18n"] or {}).get("languages") or []
            default = [e["locale"] for e in entries if e.get("default")]
            others = [e["locale"] for e in entries if not e.get("default") and e.get("build", True)]
            languages = default + others
    if not languages:
        raise SourceError(
            Problem("mkdocs.yml", None, "no i18n languages configured", rule="config")
        )
    return Project(root, tuple(languages), root / (config.get("docs_dir") or "docs"))


def _setting(root: Path, key: str):
    """One top-level value of mkdocs.yml (None when unset or unreadable: load_project
    reports that)."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return None
    return config.get(key) if isinstance(config, dict) else None


def site_names_of(root: Path) -> dict[str, str]:
    """Each language's site name (mkdocs.yml's i18n entries, else its site_name); the key
    "" holds the site-wide one ('' when unset)."""
    value = _setting(root, "site_name")
    names = {"": value if isinstance(value, str) else ""}
    for plugin in _setting(root, "plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            for entry in plugin["i18n"].get("languages") or []:
                if isinstance(entry, dict) and isinstance(entry.get("site_name"), str):
                    names[entry.get("locale")] = entry["site_name"]
    return names


def site_url_of(root: Path) -> str | None:
    """mkdocs.yml's site_url (None when unset or unreadable: load_project reports that)."""
    value = _setting(root, "site_url")
    if isinstance(value, list):  # !ENV [VAR, ..., default]: the first variable set, or default
        *names, fallback = value
        value = next((os.environ[n] for n in names if os.environ.get(n)), fallback)
    return value if isinstance(value, str) else None


def content_hash(text: str) -> str:
    """The version of an English page a translation was made from: a hash of its body
    (front matter excluded, so a new review date alone does not make translations stale)."""
    body = text
    if text.startswith("---"):
        parts = text.split("\n---", 1)
        body = parts[1] if len(parts) == 2 else text
    normal = "\n".join(line.rstrip() for line in body.strip().splitlines())
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def translation_states(project: Project) -> dict[str, dict[str, str]]:
    """Each translation language -> {English page: 'ok' | 'stale' | 'missing'}: a translation
    is up to date when it records the hash of the English page's current body."""
    states: dict[str, dict[str, str]] = {lang: {} for lang in project.languages[1:]}
    for page_path, en_file in project.pages(project.default).items():
        en_text = read_source(en_file, project.rel(en_file)).text
        if en_text is None:
            continue  # unreadable: reported by the checker and the metadata hook at its line
        current = content_hash(en_text)
        for lang in project.languages[1:]:
            translated = project.lang_dir(lang) / page_path
            if not translated.exists():
                state = "missing"
            else:
                text = read_source(translated, project.rel(translated)).text or ""
                state = "ok" if f"translated_from: {current}" in text else "stale"
            states[lang][page_path] = state
    return states
