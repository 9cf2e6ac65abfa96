"""Rule date-list-number: a Markdown line that opens with a day and a month ("8. Mai")."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ENV, ROOT
from test_checker import CHECK, clean, translated

sys.path.insert(0, str(ROOT / "scripts"))
from babel.dates import get_month_names  # noqa: E402

from mdma_guide.list_dates import find  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402

LANGUAGES = load_project(ROOT).languages  # every built language, from mkdocs.yml


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_month_of_every_built_language_is_recognised(lang):
    for month in get_month_names("wide", locale=lang.replace("-", "_")).values():
        text = f"---\ntitle: T\n---\n\n- 8. {month} 2024: x\n9. {month}\n> 10. {month}: y\n"
        assert [n for n, _, _ in find(text, lang)] == [5, 6, 7], (lang, month)
        fine = f"- 8\\. {month} 2024\n- {month} 2024\n1. Step\n`8. {month}`\n"
        fine += f"```\n8. {month}\n```\nOn 8. {month} 2024.\n"
        assert find(fine, lang) == [], (lang, month)


def test_reported_at_file_and_line_in_every_output_format(fixture_site):
    pages = clean(fixture_site)
    body = pages["index.md"] + "\n- 8. Mai 2024: Ankündigung.\n- 4\\. Juni 2024: Sitzung.\n"
    translated(fixture_site, "de/index.md", pages["index.md"], body)
    build = fixture_site.build()
    assert build.returncode == 0, build.output
    written = (fixture_site.dir / "docs/de/index.md").read_text(encoding="utf-8").split("\n")
    line = written.index("- 8. Mai 2024: Ankündigung.") + 1
    out = {}
    for fmt in ("json", "text", "github", "sarif"):
        proc = subprocess.run(
            [*CHECK, "--root", str(fixture_site.dir), "--site", str(build.site), "--format", fmt],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=600,
        )
        assert proc.returncode == 1, proc.stdout + proc.stderr
        out[fmt] = proc.stdout
    [finding] = json.loads(out["json"])["findings"]
    assert (finding["rule"], finding["file"], finding["line"]) == (
        "date-list-number",
        "docs/de/index.md",
        line,
    )
    assert "8\\. Mai" in finding["message"]
    assert f"::error file=docs/de/index.md,line={line},title=date-list-number::" in out["github"]
    [result] = json.loads(out["sarif"])["runs"][0]["results"]
    assert result["ruleId"] == "date-list-number"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": line}
    assert "docs/de/index.md" in out["text"] and str(line) in out["text"]


def test_the_guide_has_no_such_line():
    from mdma_guide.list_dates import check_list_dates

    assert check_list_dates(load_project(ROOT)) == []
