"""Measure the personal-data detector on a labelled corpus: recall and false-positive rate.

Run ``.venv/bin/python -m tests.detector_metrics [corpus.tsv]``. The corpus is UTF-8, tab
separated, header ``expected<TAB>text``; ``expected`` lists the kinds in the sentence
(comma separated) or is ``-`` for a clean sentence.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.privacy.detector import scan

CORPUS = Path(__file__).resolve().parent / "data" / "pii_corpus.tsv"


@dataclass(frozen=True)
class Sample:
    line: int
    text: str
    expected: frozenset[str]
    found: frozenset[str]


@dataclass
class Metrics:
    hit_sentences: int = 0
    hits_found: int = 0
    clean_sentences: int = 0
    false_alarm_count: int = 0
    per_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [found, expected]
    misses: list[Sample] = field(default_factory=list)
    false_alarms: list[Sample] = field(default_factory=list)
    unexpected: list[Sample] = field(default_factory=list)  # hit sentences with extra kinds

    @property
    def recall(self) -> float:
        return self.hits_found / self.hit_sentences if self.hit_sentences else 1.0

    @property
    def false_positive_rate(self) -> float:
        return self.false_alarm_count / self.clean_sentences if self.clean_sentences else 0.0

    def kind_recall(self, kind: str) -> float:
        found, expected = self.per_kind[kind]
        return found / expected if expected else 1.0


def read_corpus(path: Path | str) -> list[tuple[int, frozenset[str], str]]:
    """Return (line number, expected kinds, text) for every row of the corpus."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header != ["expected", "text"]:
            raise ValueError(f"unexpected corpus header: {header!r}")
        for number, row in enumerate(reader, start=2):
            if not row:
                continue
            expected, text = row
            kinds = (
                frozenset()
                if expected.strip() == "-"
                else frozenset(kind.strip() for kind in expected.split(",") if kind.strip())
            )
            rows.append((number, kinds, text))
    return rows


def measure(corpus_path: Path | str = CORPUS) -> Metrics:
    """Scan every corpus sentence and count what was found against what was expected."""
    metrics = Metrics()
    for line, expected, text in read_corpus(corpus_path):
        found = frozenset(finding.kind for finding in scan(text))
        sample = Sample(line, text, expected, found)
        if not expected:
            metrics.clean_sentences += 1
            if found:
                metrics.false_alarm_count += 1
                metrics.false_alarms.append(sample)
            continue
        metrics.hit_sentences += 1
        if expected <= found:
            metrics.hits_found += 1
        else:
            metrics.misses.append(sample)
        if found - expected:
            metrics.unexpected.append(sample)
        for kind in expected:
            counts = metrics.per_kind.setdefault(kind, [0, 0])
            counts[1] += 1
            counts[0] += kind in found
    return metrics


def report(metrics: Metrics) -> str:
    """Format the metrics as the lines printed by ``python -m tests.detector_metrics``."""
    lines = [
        f"recall: {metrics.recall:.3f} ({metrics.hits_found}/{metrics.hit_sentences})",
        f"false positive rate: {metrics.false_positive_rate:.3f} "
        f"({metrics.false_alarm_count}/{metrics.clean_sentences})",
    ]
    for kind in sorted(metrics.per_kind):
        found, expected = metrics.per_kind[kind]
        lines.append(f"  {kind}: {metrics.kind_recall(kind):.3f} ({found}/{expected})")

    def describe(sample: Sample) -> str:
        expected = ",".join(sorted(sample.expected)) or "-"
        found = ",".join(sorted(sample.found)) or "-"
        return f"  line {sample.line}: expected {expected}, found {found}: {sample.text}"

    for title, samples in (
        ("misses", metrics.misses),
        ("false alarms", metrics.false_alarms),
        ("unexpected extra kinds", metrics.unexpected),
    ):
        lines.append(f"{title}: {len(samples)}")
        lines.extend(describe(sample) for sample in samples)
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(measure(sys.argv[1] if len(sys.argv) > 1 else CORPUS)))
