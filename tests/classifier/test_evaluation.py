"""The evaluation over the shared labelled documents meets its targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.classifier import evaluation


def test_the_evaluation_meets_every_target(shared: Path) -> None:
    report = evaluation.evaluate(shared)

    assert report.cases > 150
    for label, (precision, recall) in evaluation.TARGETS.items():
        counts = report.counts[label]
        assert counts.tp > 0, label
        assert counts.precision >= precision, (label, report.wrong)
        assert counts.recall >= recall, (label, report.wrong)
    assert report.meets_targets()


def test_the_command_prints_precision_recall_and_wrong_files(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert evaluation.run(["--shared", str(shared)]) == 0

    out = capsys.readouterr().out
    for label in evaluation.LABELS:
        assert label in out
    assert "precision" in out
    assert "recall" in out
    assert "wrong:" in out


def test_a_missing_data_folder_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert evaluation.run(["--shared", str(tmp_path)]) == 2
    assert "no labelled data" in capsys.readouterr().out
