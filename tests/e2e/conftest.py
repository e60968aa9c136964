"""A live Casustafel server (gunicorn on a fresh, seeded SQLite database) and a real Chromium.

The server runs in a process of its own, exactly as in production: ``facilitator db upgrade``,
``facilitator seed-demo``, then ``gunicorn wsgi:app`` on a free port of 127.0.0.1. The browser
is Debian's Chromium, driven by Playwright's sync API. Without Chromium or Playwright the tests
are skipped with the reason (CI sets CASUSTAFEL_NO_SKIP=1, which turns that skip into a failure).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.session import SERVER_DATABASES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEALTH_TIMEOUT_S = 20.0
COMMAND_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_env(instance: Path) -> dict[str, str]:
    """The environment of the server: only the settings given here, on SQLite in ``instance``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FACILITATOR_") and name not in ("DATABASE_URL", "TEST_DATABASE_URL")
    }
    env.update(
        FACILITATOR_INSTANCE_PATH=str(instance),
        FACILITATOR_PASSWORD_HASH_TIME_COST="1",
        FACILITATOR_PASSWORD_HASH_MEMORY_KIB="8",
        FACILITATOR_PASSWORD_HASH_PARALLELISM="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of a gunicorn serving a freshly migrated and seeded demo database."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    env = _server_env(instance)
    _run([str(BIN / "facilitator"), "db", "upgrade"], env)
    _run([str(BIN / "facilitator"), "seed-demo"], env)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    SERVER_DATABASES[base_url] = instance / "casustafel.db"
    log_path = instance / "gunicorn.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "1",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while not _healthy(f"{base_url}/healthz"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"gunicorn did not answer /healthz within {HEALTH_TIMEOUT_S:.0f} s "
                    f"(exit code {server.poll()}):\n{log_path.read_text(encoding='utf-8')}"
                )
            time.sleep(0.1)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, headless; skipped with the reason when unavailable."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package 'chromium'): no real browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.skip(f"Playwright is not installed ({error}): pip install playwright")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
