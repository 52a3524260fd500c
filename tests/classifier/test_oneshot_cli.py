"""``edgarmon classify`` as a newcomer meets it: arguments checked by argparse, and
each input that cannot be classified named on one line of stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.classifier import oneshot

SEED_8K = "004_4071176f85cd4a78.txt"


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        oneshot.run(argv)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.splitlines()[-1]


@pytest.mark.parametrize("value", ["5", "-0.1", "nan", "high"])
def test_a_threshold_outside_0_to_1_is_a_usage_error(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = usage_error(["--threshold", value, str(tmp_path / "x.txt")], capsys)

    assert line == (
        f"edgarmon classify: error: argument --threshold: "
        f"{value!r} is not a confidence from 0 to 1, e.g. 0.5"
    )


@pytest.mark.parametrize("value", ["0", "1", "0.75"])
def test_thresholds_from_0_to_1_are_accepted(value: str) -> None:
    assert oneshot.parse_args(["--threshold", value, "x.txt"]).threshold == float(value)


@pytest.mark.parametrize("value", ["foo", "8.99", "8.1", "5"])
def test_items_that_are_not_8k_item_numbers_are_a_usage_error(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = usage_error(["--items", f"8.01,{value}", str(tmp_path / "x.txt")], capsys)

    assert line == (
        f"edgarmon classify: error: argument --items: "
        f"{value!r} is not an 8-K item number (1.01 to 9.01, e.g. 8.01)"
    )


def test_an_empty_items_list_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = usage_error(["--items", " , ", str(tmp_path / "x.txt")], capsys)

    assert line.endswith("argument --items: expected 8-K item numbers, e.g. 8.01,9.01")


def test_items_are_read_in_order_without_repeats() -> None:
    args = oneshot.parse_args(["--items", " 9.01, 8.01,9.01,", "x.txt"])

    assert args.items == ("9.01", "8.01")


def test_given_items_reach_the_classification(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert oneshot.run(["--items", "7.01", str(shared / "seeds" / SEED_8K)]) == 0

    assert "items 7.01" in capsys.readouterr().out
