"""Valid HTML, by the Nu HTML Checker (vnu.jar), and unique ids, by the standard library.

The checker is the W3C's, run locally: Java plus the ``vnu.jar`` of the ``vnu-jar`` npm package,
fetched by ``make vnu`` into ``.cache/vnu/`` (or named by ``CASUSTAFEL_VNU_JAR``). Many pages are
checked in one run of the checker, because starting Java costs more than checking a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JAR = PROJECT_ROOT / ".cache" / "vnu" / "vnu.jar"
CHECK_TIMEOUT_S = 600


def vnu_command() -> list[str] | None:
    """How to run the checker here, or None when Java or the jar is missing."""
    jar = Path(os.environ.get("CASUSTAFEL_VNU_JAR") or DEFAULT_JAR)
    java = shutil.which("java")
    if java is None or not jar.is_file():
        return None
    return [java, "-Xss4m", "-jar", str(jar)]


def check_pages(pages: dict[str, str], command: list[str]) -> dict[str, list[str]]:
    """The checker's errors per page name, for pages given as {name: html}.

    Identical pages are checked once. Every page without an error is left out of the answer.
    """
    by_digest: dict[str, list[str]] = {}
    bodies: dict[str, str] = {}
    for name, html in pages.items():
        digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:20]
        by_digest.setdefault(digest, []).append(name)
        bodies[digest] = html
    errors: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="casustafel-vnu-") as folder:
        files = []
        for digest, html in bodies.items():
            path = Path(folder) / f"{digest}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            [*command, "--errors-only", "--format", "json", "--exit-zero-always", *files],
            capture_output=True,
            text=True,
            timeout=CHECK_TIMEOUT_S,
            check=False,
        )
        report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        digest = Path(message.get("url", "")).stem
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())[:120]
        text = f"line {line}: {message.get('message', '')} [{extract}]"
        for name in by_digest.get(digest, ["(checker)"]):
            errors.setdefault(name, []).append(text)
    return errors


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1


def duplicate_ids(html: str) -> list[str]:
    """The ids that occur more than once on the page, with their count."""
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return sorted(f"{value} ({n}x)" for value, n in parser.ids.items() if n > 1)
