"""No English interface text on pages in other languages, measured on the real build.

The list of English interface strings is generated from the English build, not typed: a
string is interface (theme, templates, hooks, Markdown extensions) rather than content when

- it is on every English page (header, navigation, footer, search, colour toggle…), or
- it fills the same slot (the element, its classes and its two nearest ancestors, and the
  attribute or text) with the same value on every English page that has that slot, on two
  pages or more (permalink titles, "Cite this page", review dates' labels…), or
- it is on the English 404 page, which has no content of its own.

Text nodes and the attributes readers see or hear (title, aria-label, alt, placeholder,
label, meta description) are compared, digits folded so that "footnote 3" and "footnote 4"
are one string, and so are Material's interface translations in its ``__config`` script.
Every other built language must show none of them, except the invariants listed below.
The languages come from mkdocs.yml (the i18n block), so a language added later is covered.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide.project import load_project  # noqa: E402
from mdma_guide.strings import strings_for  # noqa: E402

PROJECT = load_project(ROOT)
DEFAULT, OTHERS = PROJECT.default, PROJECT.languages[1:]

# The same in every language; each with the reason. Strings are compared whole (a text node
# or an attribute value), after whitespace is collapsed and digits are folded to 0.
# Only what the build needs (names such as MDMA, DOI or PubMed would qualify if they ever
# appeared as a whole interface string). The language menu's names are added from mkdocs.yml.
INVARIANTS = {
    "BibTeX": "the name of a citation format (label of the cite-this-page box)",
}
# Per language: words that are spelled the same in that language.
SAME_WORD = {
    ("de", "Integration"): "a section name: the German word is the same",
    ("de", "Navigation"): "Material's label of the menu: the German word is the same",
    ("fr", "Navigation"): "Material's label of the menu: the French word is the same",
}

ATTRS = ("title", "aria-label", "alt", "placeholder", "label")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
WORDY = re.compile(r"[^\W\d_]{2,}")


def fold(value: str) -> str:
    return re.sub(r"\d+", "0", " ".join(value.split()))


def bare(value: str) -> str:
    """Without the punctuation around it ("BibTeX:" is the invariant "BibTeX")."""
    return fold(value).strip(" :;,.·()")


class Strings(HTMLParser):
    """(slot, text) of every text node and readable attribute of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.found: list[tuple[str, str]] = []
        self.script: str | None = None

    def _slot(self, last: str, what: str) -> str:
        return " > ".join([*self.stack[-2:], last]) + f" @{what}"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = ".".join(sorted((attrs.get("class") or "").split()))
        sig = f"{tag}.{classes}" if classes else tag
        for name in ATTRS:
            if attrs.get(name):
                self.found.append((self._slot(sig, name), attrs[name]))
        if tag == "meta" and attrs.get("name") == "description" and attrs.get("content"):
            self.found.append((self._slot(sig, "content"), attrs["content"]))
        if tag == "script":
            self.script = attrs.get("id") or ""
        if tag not in VOID:
            self.stack.append(sig)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "script":
            self.script = None
        for i in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed elements
            if self.stack[i].split(".", 1)[0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.script == "__config":  # Material's interface translations, shown by its JS
            translations = json.loads(data).get("translations", {})
            self.found += [(f"__config {key}", value) for key, value in translations.items()]
        elif self.script is None and self.stack and self.stack[-1] != "style" and data.strip():
            self.found.append((self._slot("#text", "text"), data))


def strings_of(html: str) -> list[tuple[str, str]]:
    parser = Strings()
    parser.feed(html)
    parser.close()
    return [(slot, " ".join(text.split())) for slot, text in parser.found if WORDY.search(text)]


def language_of(rel: str) -> str:
    first = rel.split("/", 1)[0]
    return first if first in OTHERS else DEFAULT


@pytest.fixture(scope="module")
def by_language(html_pages) -> dict[str, dict[str, list[tuple[str, str]]]]:
    pages = defaultdict(dict)
    for rel, html in html_pages.items():
        if rel.startswith("assets/"):
            continue
        pages[language_of(rel)][rel] = strings_of(html)
    return pages


@pytest.fixture(scope="module")
def english_interface(by_language) -> dict[str, str]:
    """Folded English interface string -> the string as shown."""
    english = by_language[DEFAULT]
    content = {rel: found for rel, found in english.items() if rel != "404.html"}
    shown = {fold(text): text for found in english.values() for _, text in found}
    on_every_page = set.intersection(*({fold(t) for _, t in f} for f in content.values()))
    slots: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for rel, found in content.items():
        for slot, text in found:
            slots[slot][fold(text)].add(rel)
    constant = {
        value
        for values in slots.values()
        if len(values) == 1
        for value, rels in values.items()
        if len(rels) >= 2
    }
    not_found = {fold(text) for _, text in english.get("404.html", [])}
    return {key: shown[key] for key in on_every_page | constant | not_found}


def test_the_generated_list_holds_the_known_interface_strings(english_interface):
    """Guards the generator: strings known to be interface are found by it."""
    t = strings_for(str(ROOT), DEFAULT)
    known = [
        t["copyright"],
        t["permalink_title"],
        *t["palette_toggle"].values(),
        t["last_reviewed"],
        t["cite_this_page"],
        t["not_found"],
        t["home"],
    ]
    missing = [s for s in known if fold(s) not in english_interface]
    assert not missing, missing
    assert len(english_interface) > 100, len(english_interface)


@pytest.mark.parametrize("lang", OTHERS)
def test_no_english_interface_text_in_other_languages(lang, by_language, english_interface):
    allowed = {bare(s) for s in INVARIANTS} | {bare(s) for (code, s) in SAME_WORD if code == lang}
    allowed |= {bare(name) for name in _language_names()}
    found = defaultdict(set)
    for rel, strings in sorted(by_language[lang].items()):
        for slot, text in strings:
            key = fold(text)
            if key in english_interface and bare(text) not in allowed:
                found[english_interface[key]].add(f"{rel} ({slot})")
    report = [
        f"{text!r} on {len(where)} page(s), e.g. {sorted(where)[0]}"
        for text, where in found.items()
    ]
    assert not found, f"{lang}: English interface text:\n" + "\n".join(sorted(report))


def _language_names() -> list[str]:
    """The language menu names each language in its own language, on every page."""
    import yaml

    from mdma_guide.project import _ConfigLoader

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return [entry["name"] for entry in plugin["i18n"]["languages"]]
    return []


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_404_language_menu_leads_to_each_language_home(site, lang):
    """The 404 page is a template, not a page: its menu must not keep the last page built."""
    from selectolax.lexbor import LexborHTMLParser

    prefix = "" if lang == DEFAULT else f"{lang}/"
    tree = LexborHTMLParser((site / prefix / "404.html").read_text(encoding="utf-8"))
    links = {a.attributes["hreflang"]: a.attributes["href"] for a in tree.css("a.md-select__link")}
    homes = {code: "/" if code == DEFAULT else f"/{code}/" for code in PROJECT.languages}
    assert links == homes, links
