"""The search index's language settings, weights and keywords (scripts/mdma_guide/search.py)
and the search_keywords front matter field."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import frontmatter, search  # noqa: E402
from mdma_guide.terminology import Variant, _compile  # noqa: E402

GLOSSARY = [
    {
        "id": "mao-inhibitor",
        "es": {"term": "IMAO", "aliases": ["inhibidor de la monoaminooxidasa"]},
        "de": {"term": "MAO-Hemmer"},
    },
    {"id": "amygdala", "de": {"term": "Amygdala", "aliases": ["Mandelkern"]}},
]
VARIANTS = [
    Variant("retraction", "es", "retracción", "retractación", _compile("retracción")),
    Variant("x", "es", "re:foo+", "bar", _compile("re:foo+")),
]


def test_glossary_aliases_and_avoided_variants_become_synonym_groups():
    groups = search.synonym_groups(GLOSSARY, VARIANTS, "es")
    forms = [g.forms for g in groups]
    assert ("IMAO", "inhibidor de la monoaminooxidasa") in forms
    assert ("retractación", "retracción") in forms
    assert not any("foo" in "".join(f) for f in forms)  # regular expressions are not words
    assert search.synonym_groups(GLOSSARY, VARIANTS, "de")[0].forms == ("Amygdala", "Mandelkern")


def test_keywords_follow_the_concepts_a_page_uses_inflected_and_capped():
    groups = search.synonym_groups(GLOSSARY, VARIANTS, "es")
    text = "Los inhibidores de la monoaminooxidasa " * 5 + "y una retractación."
    line = search.keywords_for(text, ["Holanda"], groups)
    assert line.startswith("Holanda ")
    assert line.count("IMAO") == search.REPEAT_CAP
    assert "retracción" in line
    assert search.keywords_for("Nada que ver.", [], groups) == ""


def test_tune_index_sets_pipeline_weights_and_keywords_on_the_page_entry():
    part = {
        "config": {"lang": ["es"], "fields": {"title": {"boost": 1000}}},
        "docs": [
            {"location": "risks/interactions/", "title": "Interacciones", "text": "<p>IMAO</p>"},
            {"location": "risks/interactions/#tabla", "title": "Tabla", "text": "IMAO"},
            {"location": "legality/by-country/", "title": "Países", "text": "Países Bajos"},
        ],
    }
    groups = search.synonym_groups(GLOSSARY, VARIANTS, "es")
    out = search.tune_index(part, {"legality/by-country/": ["Holanda"]}, groups)
    assert out["config"]["pipeline"] == ["trimmer", "stopWordFilter", "stemmer"]
    fields = out["config"]["fields"]
    assert fields["title"]["boost"] > fields["keywords"]["boost"] > fields["text"]["boost"]
    docs = {d["location"]: d for d in out["docs"]}
    assert "inhibidor de la monoaminooxidasa" in docs["risks/interactions/"]["keywords"]
    assert "keywords" not in docs["risks/interactions/#tabla"]
    assert docs["legality/by-country/"]["keywords"] == "Holanda"
    assert "boost" not in docs["risks/interactions/"]


def test_digest_pages_weigh_less():
    part = {"docs": [{"location": "clinicians/handouts/x/", "title": "MDMA: x", "text": ""}]}
    out = search.tune_index(part, {}, [])
    assert out["docs"][0]["boost"] == search.DIGEST_WEIGHT < 1


def _problems(block: str) -> list[str]:
    text = (
        "---\ntitle: T\ndescription: D\nlast_reviewed: 2026-01-01\n"
        f"next_review: 2099-01-01\n{block}---\nBody\n"
    )
    fm, problems = frontmatter.read_and_validate(text, "page.md")
    return [p.message for p in problems if "search_keywords" in p.message]


def test_search_keywords_must_be_a_list_of_strings():
    assert _problems("search_keywords: [Holanda, Países Bajos]\n") == []
    assert _problems("search_keywords: Holanda\n")
    assert _problems("search_keywords: [1, '']\n")
