"""The registry watch against a fake ClinicalTrials.gov API v2 on 127.0.0.1.

The fake serves API-shaped JSON (protocolSection.identificationModule.nctId,
protocolSection.statusModule.*, protocolSection.designModule.enrollmentInfo, hasResults),
one fault class per fixture ID; every fault must become a finding naming the trial.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ENV, FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import registry_watch as rw  # noqa: E402

WATCH = [sys.executable, str(ROOT / "scripts" / "trials_watch.py")]
TRIALS = FIXTURES / "trials-watch.yaml"


def study(nct, status="COMPLETED", count=20, kind="ACTUAL", **dates):
    """An API v2 study record as the registry documents it."""
    defaults = {
        "startDateStruct": {"date": "2019-03-04", "type": "ACTUAL"},
        "primaryCompletionDateStruct": {"date": "2020-06-01", "type": "ACTUAL"},
        "completionDateStruct": {"date": "2020-07-15", "type": "ACTUAL"},
        "resultsFirstPostDateStruct": {"date": "2021-05-02"},
        "lastUpdatePostDateStruct": {"date": "2022-01-10", "type": "ACTUAL"},
    }
    defaults.update(dates)
    status_module = {"overallStatus": status, **{k: v for k, v in defaults.items() if v}}
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": "A fixture study"},
            "statusModule": status_module,
            "designModule": {"enrollmentInfo": {"count": count, "type": kind}},
        },
        "hasResults": "resultsFirstPostDateStruct" in status_module,
    }


CHANGED = study(
    "NCT00000012",
    status="COMPLETED",
    count=14,
    kind="ACTUAL",
    startDateStruct={"date": "2021-02-10", "type": "ACTUAL"},
    completionDateStruct={"date": "2024-03-30", "type": "ACTUAL"},
    resultsFirstPostDateStruct={"date": "2025-06-06"},
    lastUpdatePostDateStruct={"date": "2025-06-06", "type": "ACTUAL"},
)
RECRUITING = study(
    "NCT00000014",
    status="RECRUITING",
    kind="ESTIMATED",
    resultsFirstPostDateStruct=None,
)
SLOW_SECONDS = 3.0


class FakeRegistry(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    queries: list[str] = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def send(self, status, body: bytes, headers=None, length=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (timeouts, size caps)
            self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        nct = path.rsplit("/", 1)[-1]
        FakeRegistry.queries.append(query)
        FakeRegistry.hits[nct] = FakeRegistry.hits.get(nct, 0) + 1
        as_json = {"Content-Type": "application/json"}
        if not path.startswith("/api/v2/studies/"):
            self.send(404, b"not found")
        elif nct in ("NCT00000011", "NCT00000019"):
            self.send(200, json.dumps(study(nct)).encode(), as_json)
        elif nct == "NCT00000012":
            self.send(200, json.dumps(CHANGED).encode(), as_json)
        elif nct == "NCT00000013":
            self.send(404, f"NCT number {nct} not found".encode(), {"Content-Type": "text/plain"})
        elif nct == "NCT00000014":
            if FakeRegistry.hits[nct] == 1:
                self.send(429, b"slow down", {"Retry-After": "1"})
            else:
                self.send(200, json.dumps(RECRUITING).encode(), as_json)
        elif nct == "NCT00000015":
            time.sleep(SLOW_SECONDS)
            self.send(200, json.dumps(study(nct)).encode(), as_json)
        elif nct == "NCT00000016":
            self.send(200, b'{"protocolSection": {"identificationModule": ', as_json)
        elif nct == "NCT00000017":
            self.send(200, b"{" + b" " * 200_000 + b"}", as_json)
        elif nct == "NCT00000020":  # no Content-Length: the cap must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(b"[" + b"0," * 100_000 + b"0]")
        elif nct == "NCT00000021":
            self.send(429, b"slow down", {"Retry-After": "3600"})
        elif nct == "NCT00000018":
            self.send(200, json.dumps({"studies": [], "nextPageToken": None}).encode(), as_json)
        else:
            self.send(404, b"unknown fixture")


@pytest.fixture
def registry():
    FakeRegistry.hits, FakeRegistry.queries = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRegistry)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    server.shutdown()
    server.server_close()


def watch(api, tmp_path, *args, trials=TRIALS):
    started = time.monotonic()
    proc = subprocess.run(
        [
            *WATCH,
            "--trials",
            str(trials),
            "--api-base",
            api,
            "--output",
            str(tmp_path / "result.json"),
            "--timeout",
            "1",
            "--deadline",
            "12",
            "--max-bytes",
            "100000",
            *args,
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, elapsed


def by_trial(findings):
    out: dict[str, list[dict]] = {}
    for f in findings:
        out.setdefault(f["target"], []).append(f)
    return out


def test_every_fault_becomes_a_finding_naming_the_trial(registry, tmp_path):
    proc, elapsed = watch(registry, tmp_path, "--format", "json")
    assert elapsed < 15, f"the run took {elapsed:.1f} s"
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    found = by_trial(data["findings"])
    file = "tests/fixtures/trials-watch.yaml"
    assert all(f["file"] == file and f["line"] for f in data["findings"])
    assert all(f["message"].startswith(f["target"] + ": ") for f in data["findings"])

    # Unchanged records, the 429-then-success one and a row that records nothing: no finding.
    for nct in ("NCT00000011", "NCT00000014", "NCT00000019"):
        assert nct not in found, found.get(nct)
    assert FakeRegistry.hits["NCT00000014"] == 2  # waited as Retry-After asked, then retried

    changed = {f["rule"]: f["message"] for f in found["NCT00000012"]}
    assert "'recruiting' in the data but 'completed' on the registry" in changed["registry-status"]
    assert "12 (anticipated) in the data but 14 (actual)" in changed["registry-enrolment"]
    assert "2025-06-06" in changed["registry-results"]
    assert "2025-06-06" in changed["registry-updated"]
    dates = [f["message"] for f in found["NCT00000012"] if f["rule"] == "registry-dates"]
    assert any("start date is 2021-01 in the data but 2021-02-10" in m for m in dates)
    assert any("completion date is 2023-12 in the data but 2024-03-30" in m for m in dates)
    assert all(f["severity"] == "warning" for f in found["NCT00000012"])

    def only(nct):
        [finding] = found[nct]
        assert finding["severity"] == "error"
        return finding["rule"], finding["message"]

    assert only("NCT00000013") == (
        "registry-missing",
        "NCT00000013: no such record on the registry (404)",
    )
    rule, message = only("NCT00000015")
    assert rule == "registry-unreachable" and "timeout" in message
    rule, message = only("NCT00000016")
    assert rule == "registry-malformed" and "not valid JSON" in message
    rule, message = only("NCT00000017")
    assert rule == "registry-malformed" and "larger than the 100000-byte limit" in message
    rule, message = only("NCT00000018")
    assert rule == "registry-malformed" and "protocolSection" in message

    stats = data["stats"]
    assert stats == {
        "trials": 9,
        "unchanged": 3,
        "changed": 1,
        "failed": 5,
        "differences": len(found["NCT00000012"]),
    }
    # Only the compared fields are asked for.
    assert all("fields=" in q for q in FakeRegistry.queries)

    # The result file holds the same findings and each record, for the site checker.
    saved = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert saved["findings"] == data["findings"]
    assert saved["trials"]["NCT00000012"]["record"]["last_update"] == "2025-06-06"
    assert saved["trials"]["NCT00000012"]["outcome"] == "changed"
    assert saved["trials"]["NCT00000013"]["outcome"] == "missing"
    assert saved["trials"]["NCT00000019"]["row"] == "ACTRN12600000000000"
    assert saved["trials"]["NCT00000011"]["record"] == {
        "status": "completed",
        "n": 20,
        "n_type": "actual",
        "start": "2019-03-04",
        "primary_completion": "2020-06-01",
        "completion": "2020-07-15",
        "results_posted": "2021-05-02",
        "last_update": "2022-01-10",
    }


def test_text_github_and_markdown_output(registry, tmp_path):
    proc, elapsed = watch(
        registry, tmp_path, "--format", "text", "--markdown", str(tmp_path / "issue.md")
    )
    assert elapsed < 15 and proc.returncode == 1
    out = proc.stdout
    assert "tests/fixtures/trials-watch.yaml" in out
    assert "NCT00000013: no such record on the registry (404)  [registry-missing]" in out
    assert "NCT00000015: no answer within 1 s (timeout)" in out
    assert "NCT00000016: the answer is not valid JSON" in out
    assert "NCT00000017: the answer is larger than the 100000-byte limit" in out
    assert "NCT00000012: status is 'recruiting' in the data" in out
    assert "5 error(s)" in out.splitlines()[-1]
    issue = (tmp_path / "issue.md").read_text(encoding="utf-8")
    assert "[NCT00000012](https://clinicaltrials.gov/study/NCT00000012)" in issue
    assert "| `registry-missing` |" in issue

    one = tmp_path / "one.yaml"
    one.write_text(TRIALS.read_text(encoding="utf-8").split("- id: NCT00000013")[0])
    proc, _ = watch(registry, tmp_path, "--format", "github", trials=one)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith("::warning file=") for line in lines)
    assert any("title=registry-status::NCT00000012: status is" in line for line in lines)


def test_no_differences_exit_zero(registry, tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text(TRIALS.read_text(encoding="utf-8").split("- id: NCT00000012")[0])
    proc, _ = watch(registry, tmp_path, trials=one)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip().endswith(
        "(trials: 1, unchanged: 1, changed: 0, failed: 0, differences: 0)"
    )
    assert json.loads((tmp_path / "result.json").read_text())["findings"] == []


def test_size_cap_without_length_and_retry_after_cap(registry, tmp_path):
    trials = tmp_path / "more.yaml"
    trials.write_text(
        "- {id: NCT00000020, status: completed}\n- {id: NCT00000021, status: completed}\n",
        encoding="utf-8",
    )
    proc, elapsed = watch(
        registry,
        tmp_path,
        "--format",
        "json",
        "--retries",
        "2",
        "--retry-after-cap",
        "0.2",
        trials=trials,
    )
    assert proc.returncode == 1 and elapsed < 15
    found = {f["target"]: f for f in json.loads(proc.stdout)["findings"]}
    assert "larger than the 100000-byte limit" in found["NCT00000020"]["message"]
    assert found["NCT00000021"]["message"] == (
        "NCT00000021: rate limited (429) after 2 polite retries"
    )
    assert FakeRegistry.hits["NCT00000021"] == 3  # the first try and two retries, no more


def test_unreachable_registry_is_a_finding(tmp_path):
    proc, elapsed = watch("http://127.0.0.1:9/api/v2", tmp_path, "--format", "json")
    assert proc.returncode == 1 and elapsed < 15
    findings = json.loads(proc.stdout)["findings"]
    assert findings and all(f["rule"] == "registry-unreachable" for f in findings)
    assert all("network error" in f["message"] for f in findings)


def test_deadline_bounds_the_run(registry, tmp_path):
    slow = tmp_path / "slow.yaml"
    text = TRIALS.read_text(encoding="utf-8")
    slow.write_text("- id: NCT00000015" + text.split("- id: NCT00000015")[1].split("- id:")[0])
    started = time.monotonic()
    proc = subprocess.run(
        [*WATCH, "--trials", str(slow), "--api-base", registry, "--output", "-"]
        + ["--timeout", "10", "--deadline", "1", "--format", "json"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert time.monotonic() - started < SLOW_SECONDS + 1
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["rule"] == "registry-unreachable"


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "cannot read"),
        ("- id: [unclosed\n", "invalid YAML"),
        ("id: NCT00000011\n", "expected a list"),
    ],
)
def test_unusable_trials_file_exits_2(tmp_path, content, expected):
    path = tmp_path / "trials.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    proc, _ = watch("http://127.0.0.1:9/api/v2", tmp_path, trials=path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert expected in proc.stderr and "trials.yaml" in proc.stderr


def test_bad_arguments_exit_2(tmp_path):
    proc, _ = watch("ftp://example.invalid", tmp_path)
    assert proc.returncode == 2 and "--api-base" in proc.stderr


def test_dates_compare_at_the_precision_given():
    assert rw.same_date("2021-03", "2021-03-17")
    assert rw.same_date("2021-03-17", "2021-03")
    assert not rw.same_date("2021-03", "2021-04-01")
    assert rw.as_text_date(dt.date(2024, 11, 1)) == "2024-11-01"  # YAML date objects
    assert rw.as_text_date("soon") is None
    item = rw.Watched("NCT00000011", {"status": "completed", "start": dt.date(2019, 3, 4)}, 3)
    assert rw.compare(item, rw.parse_record(study("NCT00000011"), "NCT00000011"), "f") == []


def test_status_enums_map_to_the_data_enum():
    for api, data in [
        ("ACTIVE_NOT_RECRUITING", "active-not-recruiting"),
        ("NOT_YET_RECRUITING", "not-yet-recruiting"),
        ("ENROLLING_BY_INVITATION", "enrolling-by-invitation"),
        ("WITHDRAWN", "withdrawn"),
        ("UNKNOWN", "unknown"),
    ]:
        assert rw.parse_record(study("NCT00000011", status=api), "NCT00000011")["status"] == data


def test_checked_date_before_the_last_update_is_a_difference():
    row = {"status": "completed", "checked": "2022-01"}
    record = rw.parse_record(
        study("NCT00000011", lastUpdatePostDateStruct={"date": "2022-03-01"}), "NCT00000011"
    )
    [problem] = rw.compare(rw.Watched("NCT00000011", row, 4), record, "f")
    assert problem.rule == "registry-updated" and "after the editors last checked" in (
        problem.message
    )
    row["checked"] = "2022-03-05"
    assert rw.compare(rw.Watched("NCT00000011", row, 4), record, "f") == []
