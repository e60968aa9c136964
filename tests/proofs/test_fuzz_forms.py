"""Every form of the product survives fuzzed submissions (SECURITY.md R5), found by crawling.

The issue: "Fuzzing with Hypothesis: every form receives arbitrary Unicode, control characters,
very long values and malformed dates; never a 500; stored values come back escaped in HTML. At
least 10,000 generated submissions in CI, bounded in time."

The forms are not listed: on the seeded demo region every role crawls from "/" as
tests/test_form_crawl.py does (tests/crawling.py), the procesbegeleider after starting the
planned meeting, and every distinct POST form and GET form (a filter, a search) found is fuzzed
by the first role that found it, so a new form is fuzzed without a change here. The role's own
logged-in client (CSRF on) submits; one token per form serves many submissions, as one browser
tab would. What is sent: tests/proofs/fuzz_values.py. After every submission:

* no answer is a server error (an exception in the app counts as one);
* no answer, nor the page an accepted submission leads to, holds a fuzzed marker tag unescaped
  (a raw ``<x-fz``): what was typed is shown escaped, also in a refused form shown again;
* a refused POST (any answer but a redirect) and every GET leave every table as it was (an
  order-free checksum per table; the audit log, which records refusals, aside).

Per form one more submission is made just under the request size limit. The run makes at
least 10,000 generated submissions: first every form gets the same number, then the rest is
shared out by how cheap a submission of each form was in that first round (processor time),
so the run stays bounded in time while every form is fuzzed. Each round has a fixed Hypothesis
seed and no example database, so CI generates the same submissions every run (the shares
after the first round may shift a little with the machine's speed). Hypothesis does not shrink:
the database changes between examples, so a replay would not fail alike; a failure reports
the data as sent. The figures of a run are printed (run with ``-s``).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, given, seed, settings
from werkzeug.datastructures import MultiDict

from tests.crawling import Crawl, Filler, Form, crawl, log_in, offered_form, start_planned_meeting
from tests.proofs.fuzz_values import (
    ESCAPED_MARKER,
    RAW_MARKER,
    Fingerprint,
    near_the_limit,
    submissions,
    urlencoded,
)
from tests.test_form_crawl import LOGINS, STARTS_THE_MEETING, issue_edition_of_the_demo

#: Generated submissions in one run, at least; and how many each form gets in the first round.
TOTAL = 10_000
FIRST_ROUND = 25
REDIRECTS = (301, 302, 303)
FORM = "application/x-www-form-urlencoded"
#: Accepted submissions per form whose next page is fetched to see how the text is shown.
SHOWN_PER_FORM = 3
#: How a page says a submission was refused: a field's error, a flashed error, a form error.
REFUSAL = re.compile(r'aria-invalid="true"|class="(?:error|flash flash-error|form-errors?)"')


def refused(status: int, mimetype: str, body: str) -> bool:
    return status >= 400 or (mimetype == "text/html" and bool(REFUSAL.search(body)))


@dataclass
class Target:
    role: str
    email: str
    crawled: Crawl
    kind: list[Form]

    @property
    def name(self) -> str:
        return f"{self.kind[0].method.upper()} {self.kind[0].pattern}"


@dataclass
class Tally:
    submissions: int = 0
    generated: int = 0  # by Hypothesis (the others: one per form near the size limit)
    accepted: int = 0
    refused: int = 0
    answered: int = 0  # a POST answered with a page or file of its own
    answered_by: Counter = field(default_factory=Counter)
    accepted_by: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    shown_escaped: set[str] = field(default_factory=set)  # forms whose marker came back
    relogins: int = 0
    fingerprints: int = 0


class Fuzzer:
    """Submits to one form after another and checks every answer."""

    def __init__(self, app, fingerprint: Fingerprint, clients: dict) -> None:
        self.app = app
        self.fingerprint = fingerprint
        self.clients = clients
        self.filler = Filler()
        self.tally = Tally()
        self.snapshot: dict | None = None
        self.snapshot_version = -1

    def client(self, target: Target):
        return self.clients[target.email]

    def _fresh_snapshot(self) -> None:
        version = self.fingerprint.version()
        if version != self.snapshot_version:
            self.snapshot, self.snapshot_version = self.fingerprint.take(), version
            self.tally.fingerprints += 1

    def _unchanged(self) -> list[str]:
        """The tables a refused submission changed (none, when nothing was committed)."""
        if self.fingerprint.version() == self.snapshot_version:
            return []
        now = self.fingerprint.take()
        self.tally.fingerprints += 1
        changed = [t for t, value in now.items() if self.snapshot.get(t) != value]
        self.snapshot, self.snapshot_version = now, self.fingerprint.version()
        return changed

    def submit(self, target: Target, form: Form, data: MultiDict) -> None:
        """One submission and its checks; an AssertionError describes what went wrong."""
        self._fresh_snapshot()
        client = self.client(target)
        self.tally.submissions += 1
        try:
            if form.method == "post":
                response = client.post(form.action, data=urlencoded(data), content_type=FORM)
            else:
                response = client.get(form.action, query_string=urlencoded(data))
        except Exception as error:  # the app raised: a browser would get a 500
            raise AssertionError(f"the app raised {type(error).__name__}: {error}"[:500]) from None
        status = response.status_code
        self.tally.statuses[status] += 1
        assert status < 500, f"HTTP {status}"
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        assert not RAW_MARKER.search(body), f"HTTP {status} shows typed text unescaped"
        location = response.headers.get("Location", "")
        if "/login" in location:  # the session ended (an account changed): log in again
            self.tally.relogins += 1
            self.clients[target.email] = log_in(self.app, target.email)
        elif form.method == "post" and status in REDIRECTS:
            self.tally.accepted += 1
            self.tally.accepted_by[form.pattern] += 1
            if self.tally.accepted_by[form.pattern] <= SHOWN_PER_FORM:
                self._check_shown(form, data, location)
            return
        elif form.method == "post" and not refused(status, response.mimetype, body):
            # Answered with a page or a file of its own: a download, a calendar address
            # shown once, an identity shown on request.
            self.tally.answered += 1
            self.tally.answered_by[form.pattern] += 1
            return
        self.tally.refused += form.method == "post"
        changed = self._unchanged()
        what = "a refused submission" if form.method == "post" else "a GET"
        assert not changed, f"{what} (HTTP {status}) changed {', '.join(changed)}"

    def _check_shown(self, form: Form, data: MultiDict, location: str) -> None:
        page = self.clients_page(location)
        assert page.status_code < 500, (
            f"the page after saving ({location}) answers {page.status_code}"
        )
        html = page.get_data(as_text=True)
        assert not RAW_MARKER.search(html), f"{location} shows the saved text unescaped"
        sent = {m for v in data.values() for m in re.findall(r"<x-fz(\d+)", v)}
        if sent & set(ESCAPED_MARKER.findall(html)):
            self.tally.shown_escaped.add(form.pattern)

    def clients_page(self, location: str):
        return self._last_client.get(location)

    def fuzz(self, target: Target, examples: int, round_: int) -> list[str]:
        """Fuzz one form ``examples`` times (in the first round also once near the size
        limit); return the problems. Each round has its own fixed seed."""
        self._last_client = self.client(target)
        form = offered_form(self._last_client, target.crawled, target.kind) or target.kind[0]
        problems = []

        @seed(round_)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(data=submissions(form, self.filler))
        def run(data):
            self.tally.generated += 1
            self._last_client = self.client(target)
            try:
                self.submit(target, form, data)
            except AssertionError as error:
                sent = {k: v[:80] for k, v in data.items(multi=True)}
                raise AssertionError(f"{error}; sent {sent}") from None

        try:
            run()
        except AssertionError as error:
            problems.append(f"{target.role}: {target.name}: {error}"[:1500])
        if form.method == "post" and round_ == 0:
            try:
                self.submit(target, form, near_the_limit(form, self.filler, self._limit()))
            except AssertionError as error:
                problems.append(f"{target.role}: {target.name} near the size limit: {error}"[:800])
        return problems

    def _limit(self) -> int:
        return self.app.config["MAX_CONTENT_LENGTH"]


def crawl_every_role(app) -> tuple[dict, list[Target]]:
    """Log in as each role and collect every form; each kind of form once, for the first role
    that found it (deelnemers first, as in tests/test_form_crawl.py)."""
    clients = {STARTS_THE_MEETING: log_in(app, STARTS_THE_MEETING)}
    assert start_planned_meeting(clients[STARTS_THE_MEETING]), "no planned meeting to start"
    targets: list[Target] = []
    seen: set[tuple] = set()
    for email in LOGINS:
        client = clients.setdefault(email, log_in(app, email))
        crawled = crawl(client)
        for kinds in (crawled.forms, crawled.get_forms):
            for signature, kind in kinds.items():
                key = (kind[0].method, signature)
                if key not in seen:
                    seen.add(key)
                    targets.append(Target(email.split("@")[0], email, crawled, kind))
    return clients, targets


def test_every_form_survives_fuzzed_submissions(app, runner, database_url, capsys):
    started, cpu = time.monotonic(), time.process_time()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    issue_edition_of_the_demo()
    clients, targets = crawl_every_role(app)
    crawled_in = time.monotonic() - started
    posts = [t for t in targets if t.kind[0].method == "post"]
    assert len(posts) >= 30, f"only {len(posts)} POST forms found: the crawl is broken"
    assert len(targets) > len(posts), "no GET form (filter, search) found"

    fingerprint = Fingerprint(database_url.removeprefix("sqlite:///"))
    fuzzer = Fuzzer(app, fingerprint, clients)
    problems: list[str] = []
    # The first round: every form alike, in crawl order (a beheerder's forms last: they may
    # change accounts). Its cost per submission (processor time) weighs the rounds after it.
    cost: dict[int, float] = {}
    for index, target in enumerate(targets):
        before, spent = fuzzer.tally.submissions, time.process_time()
        problems += fuzzer.fuzz(target, FIRST_ROUND, 0)
        cost[index] = (time.process_time() - spent) / max(1, fuzzer.tally.submissions - before)
    # Then rounds that bring the total to TOTAL, more of it where a submission is cheap, so the
    # run stays bounded in time. A form that failed is not fuzzed further; one whose few
    # controls ran out of new submissions (Hypothesis stops early) leaves its share to others.
    failed = {p.split(":")[1].strip() for p in problems}
    weights = {i: 1 / cost[i] for i, t in enumerate(targets) if t.name not in failed}
    round_ = 0
    while fuzzer.tally.generated < TOTAL and weights and round_ < 5:
        round_ += 1
        waiting = list(weights)
        while waiting and fuzzer.tally.generated < TOTAL:
            index = waiting.pop(0)
            left = TOTAL - fuzzer.tally.generated
            share = math.ceil(left * weights[index] / sum(weights[i] for i in [index, *waiting]))
            before, found = fuzzer.tally.generated, len(problems)
            problems += fuzzer.fuzz(targets[index], share, round_)
            if fuzzer.tally.generated - before < share or len(problems) > found:
                del weights[index]
    fingerprint.close()
    tally = fuzzer.tally
    took, cpu = time.monotonic() - started, time.process_time() - cpu

    with capsys.disabled():
        print(
            f"\nfuzzed {len(posts)} POST and {len(targets) - len(posts)} GET forms: "
            f"{tally.submissions} submissions ({tally.generated} generated; "
            f"{tally.accepted} accepted, {tally.refused} refused, {tally.answered} answered "
            f"otherwise) in {took:.0f} s, {cpu:.0f} s of "
            f"processor time (crawl {crawled_in:.0f} s); statuses "
            f"{dict(sorted(tally.statuses.items()))}; {tally.fingerprints} fingerprints; "
            f"{len(tally.shown_escaped)} forms' saved markers seen escaped; "
            f"{tally.relogins} new logins; answered otherwise: {dict(tally.answered_by)}"
        )
    assert not problems, f"{len(problems)} forms failed:\n" + "\n".join(problems)
    assert tally.generated >= TOTAL
    assert tally.accepted >= 200, "too few accepted submissions for the escaping check"
    assert len(tally.shown_escaped) >= 5, "saved text was seldom shown: is the check alive?"
