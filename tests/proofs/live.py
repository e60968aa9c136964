"""A gunicorn that can be killed: its own process group on a SQLite instance, and a plain client.

The crash test needs what the browser tests' server (tests/e2e/conftest.py) does not give: a
server in a process group of its own, so that SIGKILL reaches the master and its worker at
once, and that starts again on the same port and the same files. The client speaks HTTP with
http.client, one connection per request, so a request cut off by the kill fails on its own.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pyotp

from facilitator.demo.seed import DEMO_TOTP_SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HEALTH_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 10.0
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(instance: Path) -> dict[str, str]:
    """The server's environment: SQLite in ``instance``, cheap password hashing, nothing else."""
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


def facilitator(env: dict[str, str], *args: str) -> None:
    """Run a ``facilitator`` command; fail with its output when it fails."""
    result = subprocess.run(
        [str(BIN / "facilitator"), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"facilitator {' '.join(args)}: {result.stdout}\n{result.stderr}")


class KillableServer:
    """gunicorn (one worker, four threads, as ``make run``) that SIGKILL ends without warning."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.env = server_env(instance)
        self.port = free_port()
        self.log_path = instance / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log_path.open("a", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "wsgi:app",
                ],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.starts += 1
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while not self._healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"gunicorn did not answer /healthz (exit code {self.process.poll()}):\n"
                    + self.log_path.read_text(encoding="utf-8")[-4000:]
                )
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the whole process group: master and worker die mid-request, nothing flushes."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.kill()

    def _healthy(self) -> bool:
        try:
            status, _headers, _body = Client(self.port).request("GET", "/healthz", timeout=2)
        except OSError:
            return False
        return status == 200


class Client:
    """One user's session: a cookie jar of one cookie, and requests that never follow redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        fields: dict | list | None = None,
        headers: dict | None = None,
        timeout: float = REQUEST_TIMEOUT_S,
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if fields is not None:
                body = urllib.parse.urlencode(fields, doseq=True)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                connection.request(method, path, body=body, headers=sent)
                response = connection.getresponse()
                text = response.read().decode("utf-8")
            except http.client.HTTPException as error:  # an answer cut off half-way
                raise ConnectionError(f"{method} {path}: {error!r}") from error
            received = {name.lower(): value for name, value in response.getheaders()}
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, received, text
        finally:
            connection.close()

    def get(self, path: str) -> str:
        status, _headers, text = self.request("GET", path)
        assert status == 200, f"GET {path}: {status}"
        return text

    def token(self, path: str) -> str:
        match = TOKEN.search(self.get(path))
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def log_in(self, email: str, password: str) -> None:
        """Password, then the code of the demo's published TOTP key (README, Demo logins)."""
        status, headers, _text = self.request(
            "POST",
            "/login",
            {"csrf_token": self.token("/login"), "email": email, "password": password},
        )
        assert status == 302 and headers["location"].endswith("/login/code"), "password refused"
        code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
        status, headers, _text = self.request(
            "POST", "/login/code", {"csrf_token": self.token("/login/code"), "code": code}
        )
        assert status == 302 and "/login" not in headers["location"], "login failed"
