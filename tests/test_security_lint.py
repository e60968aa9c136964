"""bandit, as `make test` runs it: no finding of medium or high severity, and every silenced
finding names its test and says why on its own line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANDIT = Path(sys.executable).parent / "bandit"
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
#: `# nosec B404  # the reason`: test ids, then a comment of its own with the reason.
EXPLAINED = re.compile(r"^\s+B\d{3}(?:\s*,\s*B\d{3})*\s+#\s*\S.{5,}$")


def _scanned_paths() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^BANDIT_PATHS := (.+)$", makefile, re.MULTILINE).group(1).split()


def _bandit(*paths: str) -> list[dict]:
    result = subprocess.run(
        [
            str(BANDIT),
            "-c",
            str(ROOT / "pyproject.toml"),
            "--severity-level",
            "medium",
            "--format",
            "json",
            "--quiet",
            "-r",
            *paths,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(result.stdout)["results"]


def test_bandit_finds_nothing_of_medium_or_high_severity():
    findings = _bandit(*_scanned_paths())
    assert not findings, [
        f"{f['filename']}:{f['line_number']} {f['test_id']} {f['issue_text']}" for f in findings
    ]


def test_bandit_as_configured_does_fail_on_a_medium_finding(tmp_path):
    unsafe = tmp_path / "unsafe.py"
    unsafe.write_text("import subprocess\n\nsubprocess.call(input(), shell=True)\n")
    assert [f["test_id"] for f in _bandit(str(unsafe))] == ["B602"]


def test_every_silenced_finding_names_its_test_and_gives_the_reason():
    unexplained = []
    for path in _scanned_paths():
        files = [ROOT / path] if path.endswith(".py") else sorted((ROOT / path).rglob("*.py"))
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                marker = NOSEC.search(line)
                if marker and not EXPLAINED.match(marker.group("rest")):
                    unexplained.append(f"{file.relative_to(ROOT)}:{number}")
    assert not unexplained, f"# nosec without a test id and a reason: {unexplained}"
