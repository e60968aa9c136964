"""Measure the autosave request over real HTTP against gunicorn, with the demo data.

Usage: ``make bench`` (or ``.venv/bin/python benchmarks/autosave.py [N]``). Starts its own
server on a free port with a fresh instance folder, seeds the demo region, starts the planned
demo meeting as its procesbegeleider, then saves a text field N times (default 300) as the
facilitation screen's script does, and prints the median and 95th percentile in milliseconds.

Then the same again on a server whose audit log is switched off (benchmarks/wsgi_without_audit.py),
so the cost of the log per request shows: each save writes one sealed audit row.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyotp

from facilitator.demo.seed import DEMO_TOTP_SECRET

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.base + path,
            method="POST",
            data=urllib.parse.urlencode(data).encode(),
            headers=headers or {},
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def token(self, path: str) -> str:
        match = TOKEN.search(self.get(path))
        return match.group(1) or match.group(2)


def main(count: int) -> None:
    with_log = measure(count, "wsgi:app")
    without_log = measure(count, "wsgi_without_audit:app")
    report("with the audit log", with_log)
    report("without the audit log", without_log)
    cost = statistics.median(with_log) - statistics.median(without_log)
    print(f"  the audit log costs {cost:.1f} ms per save (median against median)")


def measure(count: int, application: str) -> list[float]:
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "FACILITATOR_INSTANCE_PATH": instance}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [BIN / "facilitator", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [BIN / "facilitator", "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            [
                BIN / "gunicorn",
                "--workers",
                "1",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                application,
            ],
            cwd=ROOT,
            env={**env, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'benchmarks'}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            return run(f"http://127.0.0.1:{port}", count)
        finally:
            server.terminate()
            server.wait(timeout=10)


def run(base: str, count: int) -> list[float]:
    browser = Browser(base)
    for _ in range(100):
        try:
            browser.get("/healthz")
            break
        except OSError:
            time.sleep(0.1)
    browser.post(
        "/login",
        {
            "csrf_token": browser.token("/login"),
            "email": "procesbegeleider@lindewaard.example",
            "password": "lindewaard-oefenen",
        },
    )
    # The second step, with the demo's published TOTP secret (README, Demo logins).
    code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    browser.post("/login/code", {"csrf_token": browser.token("/login/code"), "code": code})
    group_page = browser.get("/groepen/1")
    planned = re.findall(r'/bijeenkomsten/(\d+)">[^<]*</a> <span class="tag">Gepland', group_page)
    meeting = planned[0]
    browser.post(
        f"/bijeenkomsten/{meeting}/starten",
        {"csrf_token": browser.token(f"/bijeenkomsten/{meeting}")},
    )
    screen = browser.get(f"/bijeenkomsten/{meeting}/leiden")
    token = browser.token(f"/bijeenkomsten/{meeting}/leiden")
    # The first free-text field on the rail: walk the steps until one has a textarea.
    refs = re.findall(r'name="ref" value="([^"]+)"', screen)
    ref = key = None
    for candidate in dict.fromkeys(refs):
        page = browser.get(f"/bijeenkomsten/{meeting}/leiden?stap={urllib.parse.quote(candidate)}")
        field = re.search(
            r'name="key" value="([^"]+)">\s*<input type="hidden" name="version" '
            r'value="0">\s*<label[^>]*>[^<]*</label>\s*(?:<p[^>]*>[^<]*</p>\s*)?'
            r'<textarea id="[^"]+" name="value" rows="5"',
            page,
        )
        if field:
            ref, key = candidate, field.group(1)
            break
    if ref is None:
        raise SystemExit("no free-text field found in the demo protocol")
    version, timings = 0, []
    headers = {"X-Requested-With": "fetch", "X-CSRFToken": token}
    for number in range(count):
        text = f"Aantekening {number}: de samenwerking rond werk en behandeling wordt besproken."
        started = time.perf_counter()
        status, body = browser.post(
            f"/bijeenkomsten/{meeting}/veld",
            {
                "csrf_token": token,
                "ref": ref,
                "key": key,
                "value": text,
                "version": version,
            },
            headers,
        )
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"autosave failed with {status}: {body[:200]!r}")
        version = json.loads(body)["version"]
    return sorted(timings)


def report(label: str, timings: list[float]) -> None:
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"autosave over HTTP, {len(timings)} saves of one field, SQLite, {label}:")
    print(
        f"  median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
