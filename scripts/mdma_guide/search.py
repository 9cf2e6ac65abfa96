"""What each language's search index knows besides the page text: stemming, weights, and the
reader's own words for a page.

Material for MkDocs writes one index entry per page section (title = heading, text). For each
language's index (split by multilingual.split_search_index) this sets:

- the pipeline: the language's trimmer, stop words and stemmer (lunr-languages, shipped in
  Material's worker). Material's default keeps only the stop-word filter, so "síndromes" never
  met "síndrome"; overrides/assets/javascripts/workers/guide-search.js runs queries through
  the same pipeline;
- the field weights: a heading match outranks a body mention, but no longer by a factor of a
  thousand, so a word that heads many pages (MDMA) cannot outweigh a rare word in the body
  (Lunr's BM25 already gives a word found nearly everywhere little weight);
- a lower weight for digest pages (DIGEST_PAGES), which restate what other pages explain;
- a ``keywords`` field on each page's first entry: the page's ``search_keywords`` (front
  matter), the other forms of every glossary term the page uses (term and aliases, in the
  page's language) and the words the terminology list tells editors to avoid for a word the
  page uses (readers still type them), each as often as the page uses the concept (up to a
  cap), so the page that is about a term outranks a page that mentions it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]
FIELDS = {
    "title": {"boost": 100.0},
    "text": {"boost": 1.0},
    "tags": {"boost": 1e6},  # Material's default; the guide sets no tags
    "keywords": {"boost": 20.0},
}
REPEAT_CAP = 3  # a form the page uses often counts up to this many times
# Pages that restate or list what other pages explain (handouts, the glossary, the reference
# list, the change logs) weigh half as much, so the page that explains a topic comes first.
DIGEST_PAGES = (
    "clinicians/handouts/",
    "glossary/",
    "references/",
    "about/changelog/",
    "about/corrections/",
)
DIGEST_WEIGHT = 0.5


@dataclass(frozen=True)
class SynonymGroup:
    """Forms that mean the same thing in one language; ``found`` finds any of them."""

    forms: tuple[str, ...]
    found: re.Pattern


def _pattern(forms: Iterable[str]) -> re.Pattern:
    # Each word may take an ending (inhibidor -> inhibidores); case and spacing are free.
    bodies = [r"\s+".join(re.escape(w) + r"\w*" for w in form.split()) for form in forms]
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(bodies, key=len, reverse=True)) + ")", re.I)


def synonym_groups(glossary: list[dict], variants: Iterable, lang: str) -> list[SynonymGroup]:
    """Glossary terms with their aliases, and preferred words with their avoided variants
    (plain variants only, not regular expressions), for one language."""
    groups = []
    for entry in glossary:
        item = entry.get(lang) or {}
        forms = [item.get("term", ""), *item.get("aliases", [])]
        forms = [f.strip() for f in forms if isinstance(f, str) and f.strip()]
        if len(forms) > 1:
            groups.append(SynonymGroup(tuple(forms), _pattern(forms)))
    avoided: dict[str, list[str]] = {}
    for variant in variants:
        if variant.lang != lang or variant.text.startswith("re:"):
            continue
        avoided.setdefault(variant.use, []).append(variant.text.rstrip("*").strip())
    for use, others in avoided.items():
        forms = [use, *dict.fromkeys(o for o in others if o)]
        groups.append(SynonymGroup(tuple(forms), _pattern(forms)))
    return groups


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def keywords_for(text: str, declared: Iterable[str], groups: list[SynonymGroup]) -> str:
    """The keywords line of one page: declared keywords, then the missing forms of every
    synonym group the text uses (repeated as often as the group is used, up to a cap)."""
    words = [k.strip() for k in declared if isinstance(k, str) and k.strip()]
    for group in groups:
        uses = len(group.found.findall(text))
        if not uses:
            continue
        words.extend(list(group.forms) * min(uses, REPEAT_CAP))
    return " ".join(words)


def tune_index(part: dict, declared: dict[str, list[str]], groups: list[SynonymGroup]) -> dict:
    """One language's index with the pipeline, weights and keywords set. ``declared`` maps a
    page location (as in the index) to its front matter ``search_keywords``."""
    config = part.setdefault("config", {})
    config["pipeline"] = list(PIPELINE)
    config["fields"] = {**config.get("fields", {}), **FIELDS}
    pages: dict[str, list[dict]] = {}
    for doc in part.get("docs", []):
        pages.setdefault(doc.get("location", "").split("#", 1)[0], []).append(doc)
    for location, docs in pages.items():
        if location.startswith(DIGEST_PAGES):
            for doc in docs:
                doc["boost"] = DIGEST_WEIGHT
        text = " ".join(_plain(f"{d.get('title', '')} {d.get('text', '')}") for d in docs)
        line = keywords_for(text, declared.get(location, []), groups)
        if line:
            docs[0]["keywords"] = line
    return part
