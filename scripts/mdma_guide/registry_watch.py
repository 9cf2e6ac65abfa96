"""The registry watch: do the ClinicalTrials.gov records still say what trials.yaml says?

For every NCT ID in docs/data/trials.yaml (a row's ``id`` or one of its ``other_ids``) this
asks the registry's public API v2 (``GET {api}/studies/{nctId}``) for the current record and
compares it with the row: overall status, enrolment (count and actual/estimated), start,
primary completion and completion dates, results posted, last update posted. A field the row
does not record is "not recorded", never a difference. Dates are compared at the precision
the row gives ("2021-03" matches "2021-03-17").

The network is used politely and within bounds: a few requests at once, a per-request
timeout, a total deadline, a size cap on every body, 429/503 answered by waiting as
Retry-After asks (capped, a few times at most). Every failure becomes a finding naming the
trial: an unknown ID (404), a timeout, a network error, malformed JSON, an unexpected shape,
an oversized body. Pure logic: no MkDocs imports.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import aiohttp

from .errors import Problem, SourceError
from .external import TooLarge, parse_retry_after, read_capped, status_phrase
from .yamlio import load_yaml_file

NCT = re.compile(r"^NCT\d{8}$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
API_BASE = "https://clinicaltrials.gov/api/v2"
STUDY_URL = "https://clinicaltrials.gov/study/{}"
# Only the parts of the record the watch compares (the API's ``fields`` parameter).
FIELDS = ",".join(
    (
        "protocolSection.identificationModule.nctId",
        "protocolSection.statusModule",
        "protocolSection.designModule.enrollmentInfo",
        "hasResults",
    )
)
ENROLMENT_TYPES = {"ACTUAL": "actual", "ESTIMATED": "anticipated"}
DATE_FIELDS = (
    ("start", "startDateStruct", "start date"),
    ("primary_completion", "primaryCompletionDateStruct", "primary completion date"),
    ("completion", "completionDateStruct", "completion date"),
)
# Rules of the findings (also the keys of the JSON output).
DIFFERENCE_RULES = (
    "registry-status",
    "registry-enrolment",
    "registry-dates",
    "registry-results",
    "registry-updated",
)
FAILURE_RULES = ("registry-missing", "registry-unreachable", "registry-malformed")


@dataclass
class Options:
    """Knobs for one run; the defaults suit the real registry."""

    api_base: str = API_BASE
    timeout: float = 20.0
    deadline: float = 300.0
    concurrency: int = 3
    retries: int = 3
    retry_after_cap: float = 60.0
    backoff: float = 1.0
    max_bytes: int = 4_000_000
    user_agent: str = "mdma-evidence-guide-trials-watch (+repository README)"


@dataclass
class Watched:
    """One NCT ID and the trials.yaml row that names it."""

    nct: str
    row: dict
    line: int | None
    via_other_ids: bool = False


@dataclass
class Outcome:
    """What the watch found for one NCT ID."""

    watched: Watched
    outcome: str  # ok | changed | missing | unreachable | malformed
    record: dict | None = None
    problems: list[Problem] = field(default_factory=list)


class _Fail(Exception):
    def __init__(self, outcome: str, rule: str, detail: str):
        super().__init__(detail)
        self.outcome, self.rule, self.detail = outcome, rule, detail


# Reading trials.yaml ----------------------------------------------------------------------


def load_watched(path: Path, rel: str) -> list[Watched]:
    """Every NCT ID in the trials file, with its row. Raises SourceError when unusable."""
    raw = load_yaml_file(path, rel)
    if not isinstance(raw, list):
        raise SourceError(Problem(rel, None, "expected a list of trial rows", rule="data"))
    watched: list[Watched] = []
    for row in raw:
        if not isinstance(row, dict):
            continue
        line = row.get("__line__")
        ids = [(row.get("id"), False)]
        ids += [(other, True) for other in row.get("other_ids") or [] if isinstance(other, str)]
        for value, via in ids:
            if isinstance(value, str) and NCT.match(value.strip()):
                watched.append(Watched(value.strip(), row, line, via))
    return watched


# Parsing a registry record ----------------------------------------------------------------


def _module(data: dict, *path: str) -> dict:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return {}
        if not isinstance(node, dict):
            raise _Fail("malformed", "registry-malformed", f"'{'.'.join(path)}' is not an object")
    return node


def _date(module: dict, struct: str, where: str) -> str | None:
    value = module.get(struct)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Fail("malformed", "registry-malformed", f"'{where}.{struct}' is not an object")
    date = value.get("date")
    if date is None:
        return None
    if not isinstance(date, str) or not DATE.match(date):
        raise _Fail(
            "malformed", "registry-malformed", f"'{where}.{struct}.date' is not a date: {date!r}"
        )
    return date


def parse_record(data, nct: str) -> dict:
    """The compared fields of an API v2 study, in trials.yaml's terms. Raises _Fail."""
    if not isinstance(data, dict):
        raise _Fail("malformed", "registry-malformed", "the answer is not a JSON object")
    if not isinstance(data.get("protocolSection"), dict):
        raise _Fail("malformed", "registry-malformed", "the answer has no 'protocolSection'")
    ident = _module(data, "protocolSection", "identificationModule")
    status_module = _module(data, "protocolSection", "statusModule")
    enrolment = _module(data, "protocolSection", "designModule", "enrollmentInfo")
    got = ident.get("nctId")
    if not isinstance(got, str):
        raise _Fail("malformed", "registry-malformed", "the record has no nctId")
    if got.upper() != nct:
        raise _Fail(
            "malformed",
            "registry-malformed",
            f"the registry answered with record {got} (is {nct} an obsolete alias?)",
        )
    status = status_module.get("overallStatus")
    if not isinstance(status, str) or not status.strip():
        raise _Fail("malformed", "registry-malformed", "the record has no overallStatus")
    count = enrolment.get("count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        raise _Fail("malformed", "registry-malformed", f"enrollmentInfo.count is {count!r}")
    n_type = enrolment.get("type")
    if n_type is not None and not isinstance(n_type, str):
        raise _Fail("malformed", "registry-malformed", f"enrollmentInfo.type is {n_type!r}")
    has_results = data.get("hasResults")
    if has_results is not None and not isinstance(has_results, bool):
        raise _Fail("malformed", "registry-malformed", f"hasResults is {has_results!r}")
    where = "protocolSection.statusModule"
    record = {
        "status": status.strip().lower().replace("_", "-"),
        "n": count,
        "n_type": ENROLMENT_TYPES.get(n_type, n_type.lower()) if n_type else None,
    }
    for key, struct, _ in DATE_FIELDS:
        record[key] = _date(status_module, struct, where)
    posted = _date(status_module, "resultsFirstPostDateStruct", where)
    record["results_posted"] = posted or bool(has_results)
    record["last_update"] = _date(status_module, "lastUpdatePostDateStruct", where)
    return record


# Comparing --------------------------------------------------------------------------------


def as_text_date(value) -> str | None:
    """A YAML date (string or date object) as 'YYYY[-MM[-DD]]', or None if it is not one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and DATE.match(value.strip()):
        return value.strip()
    return None


def same_date(recorded: str, registry: str) -> bool:
    """Equal at the precision both give ('2021-03' matches '2021-03-17')."""
    size = min(len(recorded), len(registry))
    return recorded[:size] == registry[:size]


def later(a: str, b: str) -> bool:
    """True when date ``a`` is after ``b`` at the precision both give."""
    size = min(len(a), len(b))
    return a[:size] > b[:size]


def compare(watched: Watched, record: dict, file: str) -> list[Problem]:
    """Each difference between the row and the registry record, as a warning."""
    row, nct = watched.row, watched.nct
    out: list[Problem] = []

    def diff(rule: str, message: str) -> None:
        out.append(Problem(file, watched.line, f"{nct}: {message}", rule, "warning", nct))

    status = row.get("status")
    if status is not None and str(status) != record["status"]:
        diff(
            "registry-status",
            f"status is '{status}' in the data but '{record['status']}' on the registry",
        )
    n, n_type = row.get("n"), row.get("n_type")
    n_differs = n is not None and record["n"] is not None and n != record["n"]
    type_differs = (
        n_type is not None and record["n_type"] is not None and n_type != record["n_type"]
    )
    if n_differs or type_differs:
        mine = " ".join(str(x) for x in (n, f"({n_type})" if n_type else None) if x is not None)
        theirs = f"{record['n']} ({record['n_type'] or 'type not given'})"
        diff("registry-enrolment", f"enrolment is {mine} in the data but {theirs} on the registry")
    for key, _, label in DATE_FIELDS:
        if row.get(key) is None:
            continue
        mine = as_text_date(row[key])
        if mine is None:
            diff("registry-dates", f"{label} '{row[key]}' in the data is not a date")
        elif record[key] is None:
            diff("registry-dates", f"{label} is {mine} in the data but not given on the registry")
        elif not same_date(mine, record[key]):
            diff(
                "registry-dates",
                f"{label} is {mine} in the data but {record[key]} on the registry",
            )
    if "results_posted" in row and row["results_posted"] is not None:
        mine = row["results_posted"]
        theirs = record["results_posted"]
        theirs_text = theirs if isinstance(theirs, str) else ("yes" if theirs else "none")
        if mine is False and theirs:
            diff(
                "registry-results",
                f"results posted: none in the data but {theirs_text} on the registry",
            )
        elif mine is not False and not theirs:
            diff("registry-results", f"results posted: {mine} in the data but none on the registry")
        elif mine is not False and isinstance(theirs, str):
            mine_date = as_text_date(mine)
            if mine_date is None or not same_date(mine_date, theirs):
                diff(
                    "registry-results",
                    f"results posted: {mine} in the data but {theirs} on the registry",
                )
    theirs = record["last_update"]
    if theirs and row.get("last_update") is not None:
        mine = as_text_date(row["last_update"])
        if mine is None or not same_date(mine, theirs):
            diff(
                "registry-updated",
                f"last update posted is {row['last_update']} in the data but {theirs} on the "
                "registry: the record changed",
            )
    elif theirs and row.get("checked") is not None:
        checked = as_text_date(row["checked"])
        if checked is None or later(theirs, checked):
            diff(
                "registry-updated",
                f"the registry record was last updated on {theirs}, after the editors last "
                f"checked it on {row['checked']}",
            )
    return out


# Fetching ---------------------------------------------------------------------------------


async def _get(session: aiohttp.ClientSession, url: str, opts: Options, until: float) -> bytes:
    loop = asyncio.get_running_loop()
    attempt = 0
    while True:
        remaining = until - loop.time()
        if remaining <= 0:
            raise _Fail(
                "unreachable",
                "registry-unreachable",
                f"the run's total deadline ({opts.deadline:g} s) passed before an answer",
            )
        limit = min(opts.timeout, remaining)
        try:
            async with asyncio.timeout(limit):
                async with session.get(url, allow_redirects=True, max_redirects=5) as resp:
                    status, retry_after = resp.status, resp.headers.get("Retry-After")
                    if status == 200:
                        return await _read_capped(resp, opts.max_bytes)
        except TimeoutError:
            raise _Fail(
                "unreachable", "registry-unreachable", f"no answer within {limit:g} s (timeout)"
            ) from None
        except aiohttp.ClientError as exc:
            detail = (str(exc) or exc.__class__.__name__).replace(" ssl:default", "")
            raise _Fail("unreachable", "registry-unreachable", f"network error: {detail}") from None
        if status == 404:
            raise _Fail("missing", "registry-missing", "no such record on the registry (404)")
        if status in (429, 503) and attempt < opts.retries:
            wait = parse_retry_after(retry_after)
            wait = opts.backoff * 2**attempt if wait is None else wait
            wait = min(wait, opts.retry_after_cap)
            if loop.time() + wait >= until:
                raise _Fail(
                    "unreachable",
                    "registry-unreachable",
                    f"rate limited ({status_phrase(status)}); waiting {wait:g} s would pass the "
                    "run's deadline",
                )
            attempt += 1
            await asyncio.sleep(wait)
            continue
        if status == 429:
            raise _Fail(
                "unreachable",
                "registry-unreachable",
                f"rate limited (429) after {attempt} polite retr{'y' if attempt == 1 else 'ies'}",
            )
        raise _Fail(
            "unreachable", "registry-unreachable", f"the registry answered {status_phrase(status)}"
        )


async def _read_capped(resp: aiohttp.ClientResponse, cap: int) -> bytes:
    """The body, read in chunks up to ``cap`` bytes (the link checker's reader)."""
    try:
        return await read_capped(resp, cap)
    except TooLarge:
        raise _Fail(
            "malformed", "registry-malformed", f"the answer is larger than the {cap}-byte limit"
        ) from None


async def _watch_one(session, gate, watched: Watched, opts: Options, until: float, file: str):
    url = f"{opts.api_base.rstrip('/')}/studies/{watched.nct}?fields={quote(FIELDS, safe=',')}"
    async with gate:
        try:
            body = await _get(session, url, opts, until)
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise _Fail(
                    "malformed", "registry-malformed", f"the answer is not valid JSON ({exc})"
                ) from None
            record = parse_record(data, watched.nct)
        except _Fail as fail:
            severity = "error"
            problem = Problem(
                file,
                watched.line,
                f"{watched.nct}: {fail.detail}",
                fail.rule,
                severity,
                watched.nct,
            )
            return Outcome(watched, fail.outcome, None, [problem])
    problems = compare(watched, record, file)
    return Outcome(watched, "changed" if problems else "ok", record, problems)


async def watch(items: list[Watched], opts: Options, file: str) -> list[Outcome]:
    """Ask the registry about every item; never raises for network or data faults."""
    loop = asyncio.get_running_loop()
    until = loop.time() + opts.deadline
    gate = asyncio.Semaphore(max(1, opts.concurrency))
    headers = {"User-Agent": opts.user_agent, "Accept": "application/json"}
    connector = aiohttp.TCPConnector(limit=max(1, opts.concurrency))
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
        unique: dict[str, Watched] = {}
        for item in items:
            unique.setdefault(item.nct, item)
        tasks = {
            nct: asyncio.create_task(_watch_one(session, gate, item, opts, until, file))
            for nct, item in unique.items()
        }
        if tasks:
            await asyncio.wait(tasks.values(), timeout=opts.deadline + 1)
        results: dict[str, Outcome] = {}
        for nct, task in tasks.items():
            if task.done() and not task.cancelled() and task.exception() is None:
                results[nct] = task.result()
            else:
                task.cancel()
                item = unique[nct]
                detail = (
                    f"the run's total deadline ({opts.deadline:g} s) passed before an answer"
                    if not task.done()
                    else f"could not be checked ({task.exception()!r})"
                )
                results[nct] = Outcome(
                    item,
                    "unreachable",
                    None,
                    [
                        Problem(
                            file,
                            item.line,
                            f"{nct}: {detail}",
                            "registry-unreachable",
                            "error",
                            nct,
                        )
                    ],
                )
    # A second row naming the same NCT ID is compared with the same record.
    outcomes = []
    for item in items:
        first = results[item.nct]
        if item is unique[item.nct]:
            outcomes.append(first)
        elif first.record is not None:
            problems = compare(item, first.record, file)
            outcomes.append(Outcome(item, "changed" if problems else "ok", first.record, problems))
    return outcomes


def run(items: list[Watched], opts: Options, file: str) -> list[Outcome]:
    return asyncio.run(watch(items, opts, file))


# Results ----------------------------------------------------------------------------------


def stats_of(outcomes: list[Outcome]) -> dict:
    counts = {"trials": len(outcomes), "unchanged": 0, "changed": 0, "failed": 0}
    for o in outcomes:
        key = {"ok": "unchanged", "changed": "changed"}.get(o.outcome, "failed")
        counts[key] += 1
    counts["differences"] = sum(p.rule in DIFFERENCE_RULES for o in outcomes for p in o.problems)
    return counts


def result_document(outcomes: list[Outcome], file: str, opts: Options, now: dt.datetime) -> dict:
    """The JSON written to the result file (and printed with --format json)."""
    from .report import as_dict

    trials = {}
    for o in outcomes:
        trials.setdefault(
            o.watched.nct,
            {
                "row": o.watched.row.get("id"),
                "line": o.watched.line,
                "outcome": o.outcome,
                "record": o.record,
                "differences": [p.rule for p in o.problems],
            },
        )
    return {
        "generated": now.replace(microsecond=0).isoformat(),
        "api_base": opts.api_base,
        "trials_file": file,
        "trials": trials,
        "findings": [as_dict(p) for o in outcomes for p in o.problems],
        "stats": stats_of(outcomes),
    }


def _md(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("@", "@\u200b")
        .replace("\n", " ")
    )


def to_markdown(outcomes: list[Outcome], file: str, now: dt.datetime) -> str:
    """An issue body for an editor: one table row per difference or failure."""
    stats = stats_of(outcomes)
    lines = [
        f"The weekly registry watch compared `{file}` with ClinicalTrials.gov on "
        f"{now.date().isoformat()}: {stats['trials']} record(s), {stats['changed']} with "
        f"differences, {stats['failed']} that could not be checked.",
        "",
        "For each record below, an editor should open the registry page, then update the row "
        "(and its `checked` date) and re-check the pages that cite the trial. This issue is "
        "updated by the workflow, which never edits content.",
        "",
    ]
    problems = [p for o in outcomes for p in o.problems]
    if not problems:
        lines.append("No differences: every record matches the data.")
        return "\n".join(lines) + "\n"
    lines += ["| Trial | Line | What differs | Rule |", "|---|---|---|---|"]
    for p in problems:
        nct = p.target or ""
        link = f"[{nct}]({STUDY_URL.format(nct)})" if NCT.match(nct) else _md(nct)
        message = p.message.removeprefix(f"{nct}: ")
        lines.append(f"| {link} | {p.line or ''} | {_md(message)} | `{p.rule}` |")
    return "\n".join(lines) + "\n"
