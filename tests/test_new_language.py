"""A new language needs configuration and data, not code (issue #20).

One fixture build adds French and Brazilian Portuguese only through mkdocs.yml (the i18n
plugin's languages) and docs/data/strings.yaml (a section each, English words with a few
replaced, and the language's locale settings): the strict build passes and every piece of
page furniture renders in the new languages, with their own dates, reference style, quick
exit and 404 page. A built language without its strings section fails the build, naming
the file.
"""

from __future__ import annotations

import json
import re
import sys

import pytest
from conftest import ROOT, page
from test_checker import findings, run

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import multilingual, strings  # noqa: E402
from mdma_guide.errors import SourceError  # noqa: E402

CITED = "A claim [@beta2021review].\n"
# The words a reader of each stub language sees (a marker each, to find them in the page).
NEW = {
    "fr": (
        "Français",
        {
            "locale": {
                "dates": "fr",
                "citations": "fr-FR",
                "et_al": "et al",
                "quick_exit_page": "https://meteofrance.com/",
            },
            "copyright": "Indépendant et sans but commercial.",
            "last_reviewed": "Dernière révision",
            "cite_this_page": "Citer cette page",
            "references": "Références",
            "not_found": "Page introuvable",
            "quick_exit": {"button": "Quitter cette page"},
        },
    ),
    "pt-BR": (
        "Português (Brasil)",
        {
            "locale": {
                "dates": "pt_BR",
                "citations": "pt-BR",
                "et_al": "et al",
                "quick_exit_page": "https://portal.inmet.gov.br/",
            },
            "copyright": "Independente e sem fins comerciais.",
            "last_reviewed": "Última revisão",
            "fallback_notice": "Esta página ainda não foi traduzida.",
            "not_found": "Página não encontrada",
            "quick_exit": {"button": "Sair desta página"},
        },
    ),
}


def test_a_language_added_by_configuration_and_data_builds_with_its_furniture(fixture_site):
    for locale, (name, words) in NEW.items():
        fixture_site.add_language(locale, name, words)
    fixture_site.write("en/index.md", page("Home", CITED))
    fixture_site.write("fr/index.md", page("Accueil", "Une affirmation [@beta2021review].\n"))
    status = "[[translation-fallback]]\n\n[[translation-status]]\n"
    fixture_site.write("en/about/translation-status.md", page("Translation status", status))
    build = fixture_site.build()
    assert build.returncode == 0, build.output
    site = fixture_site.dir / "site"

    fr = (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in fr
    assert "Indépendant et sans but commercial." in fr  # footer
    assert "Dernière révision" in fr and "1 novembre 2026" in fr  # review box, French date
    assert "Citer cette page" in fr and "guide-cite" in fr  # cite this page
    assert 'href="https://meteofrance.com/"' in fr and "Quitter cette page" in fr  # quick exit
    assert "Références" in fr and '<ol class="references">' in fr  # reference list
    assert "guide-fallback" not in fr

    pt = (site / "pt-BR" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR"' in pt  # Material's own file says "pt"
    assert "Independente e sem fins comerciais." in pt
    assert "Esta página ainda não foi traduzida." in pt  # English page, Portuguese notice
    assert "1 de novembro de 2026" in pt  # Babel's pt_BR, not the tag 'pt-BR'
    assert 'href="https://portal.inmet.gov.br/"' in pt and "Sair desta página" in pt

    for locale, words in (("fr", "Page introuvable"), ("pt-BR", "Página não encontrada")):
        not_found = (site / locale / "404.html").read_text(encoding="utf-8")
        assert words in not_found and f'lang="{locale}"' in not_found, locale
    # The translation status names languages in the reader's language (Babel's names).
    fr_status = (site / "fr/about/translation-status/index.html").read_text(encoding="utf-8")
    assert "allemand" in fr_status and '<th scope="col">pt-BR</th>' in fr_status
    pt_status = (site / "pt-BR/about/translation-status/index.html").read_text(encoding="utf-8")
    assert "francês" in pt_status

    # The checker reads the same languages and data without stumbling on the new ones.
    code, data, stderr = run(fixture_site, "--site", str(site))
    assert data is not None, stderr
    assert set(data["stats"]["pages"]) == {"en", "es", "de", "fr", "pt-BR"}
    assert not [f for f in findings(data) if f["severity"] == "error"], data["findings"]

    # The English 404 page sends a missing /fr/ or /pt-BR/ path to that language's 404 page.
    languages = re.search(r'name="guide-404" content="([^"]*)"', (site / "404.html").read_text())
    assert languages and {"fr", "pt-BR"} <= set(languages[1].split())


def test_a_built_language_without_strings_fails_naming_the_file(fixture_site):
    # a language the real strings.yaml has no section for (the fixture copies it)
    fixture_site.add_language("it", "Italiano", None)
    fixture_site.write("en/index.md", page("Home"))
    build = fixture_site.build()
    assert build.returncode != 0
    assert "docs/data/strings.yaml: no 'it' section" in build.output, build.output
    assert "Traceback" not in build.output and "KeyError" not in build.output


def _language_patterns(node):
    """Every pattern a data schema uses for language keys (one that accepts 'es')."""
    if isinstance(node, dict):
        names = node.get("propertyNames", {}).get("pattern")
        found = [names] if names and re.search(names, "es") else []
        found += [key for key in node.get("patternProperties", {}) if re.search(key, "es")]
        return found + [p for value in node.values() for p in _language_patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _language_patterns(value)]
    return []


def test_data_schemas_accept_the_new_language_codes():
    """Glossary, terminology, process words and the data tables' translations are keyed by
    language: a key as mkdocs.yml writes it (fr, pt-BR) must be valid there."""
    schemas = sorted((ROOT / "docs" / "data" / "schemas").glob("*.schema.json"))
    checked = 0
    for schema in schemas:
        for pattern in _language_patterns(json.loads(schema.read_text(encoding="utf-8"))):
            checked += 1
            for code in ("fr", "pt-BR"):
                assert re.search(pattern, code), f"{schema.name}: {pattern} rejects {code}"
    assert checked >= 6


def test_the_search_index_of_a_region_tagged_language_names_its_stemmer():
    index = {"config": {"lang": ["en"]}, "docs": [{"location": "pt-BR/", "title": "Início"}]}
    parts = multilingual.split_search_index(index, ["en", "pt-BR"], "en")
    assert parts["pt-BR"]["config"]["lang"] == ["pt"]


def test_a_language_section_lacking_strings_is_named_at_its_line(tmp_path):
    data = tmp_path / "docs" / "data"
    data.mkdir(parents=True)
    text = (ROOT / "docs" / "data" / "strings.yaml").read_text(encoding="utf-8")
    (data / "strings.yaml").write_text(text + "fr:\n  copyright: Indépendant.\n", "utf-8")
    line = text.count("\n") + 1
    try:
        with pytest.raises(SourceError) as caught:
            strings.load_strings(str(tmp_path))
    finally:
        strings.load_strings(str(ROOT))  # the repository's strings again, for later tests
    assert str(caught.value).startswith(f"docs/data/strings.yaml:{line}: 'fr' lacks ")
    assert "cite_this_page" in str(caught.value) and "locale" in str(caught.value)
