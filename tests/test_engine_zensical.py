"""Job C: Zensical on the same mkdocs.yml, checked feature by feature (allowed to fail).

Run by `make test-zensical` only (marker engine_c, excluded from `make test`). Four variants,
each built once into a temporary folder from a copy of the sources (scripts/engines.py):

- ``zensical``: the same mkdocs.yml with Zensical's own command;
- ``zensical-i18n``: the same mkdocs.yml with the third-party zensical-i18n wrapper, which reads
  mkdocs-static-i18n's plugin block (Zensical itself builds one language);
- both again ``(no overrides)``: without theme.custom_dir only, a diagnostic that shows what the
  engine does once the guide's templates are out of the way.

Every check runs on whatever HTML the build left, never on the exit code alone. The table (one
column per variant, plus gate A's MkDocs build as the reference that passes everything) is
written to $ENGINE_C_REPORT (default engine-c-report.md), for CI's job summary.
"""

from __future__ import annotations

import os
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import engines  # noqa: E402

pytestmark = pytest.mark.engine_c

ZS_VENV = ROOT / ".venv-zensical"
VARIANTS = {
    "zensical": dict(i18n=False, overrides=True),
    "zensical-i18n": dict(i18n=True, overrides=True),
    "zensical (no overrides)": dict(i18n=False, overrides=False),
    "zensical-i18n (no overrides)": dict(i18n=True, overrides=False),
}
REFERENCE = "mkdocs (gate A)"


@pytest.fixture(scope="module")
def results(site, tmp_path_factory):
    if not (ZS_VENV / "bin" / "zensical").exists():
        pytest.fail(".venv-zensical is missing: run `make test-zensical` (it installs it)")
    found = {REFERENCE: engines.checks(site)}
    builds = {REFERENCE: "the session's strict MkDocs build"}
    for name, options in VARIANTS.items():
        out = tmp_path_factory.mktemp("zensical")
        build = engines.build_zensical(ZS_VENV, out / "site", **options)
        found[name], builds[name] = engines.checks(build.site), engines.build_summary(build)
    report = (
        "## Job C: Zensical on the same mkdocs.yml\n\n"
        + engines.versions(ZS_VENV, "zensical", "zensical-i18n")
        + " (README, Stack: why each check fails).\n\n"
        + engines.table(found, builds)
    )
    path = os.environ.get("ENGINE_C_REPORT", str(ROOT / "engine-c-report.md"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(report)
    print(report)
    return found


@pytest.mark.parametrize("check", list(engines.CHECKS))
def test_reference_passes_every_check(results, check):
    """The checks themselves are right: the MkDocs build passes all of them."""
    ok, detail = results[REFERENCE][check]
    assert ok, detail


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("check", list(engines.CHECKS))
def test_zensical(results, variant, check):
    ok, detail = results[variant][check]
    assert ok, f"{variant}: {check}: {detail}"
