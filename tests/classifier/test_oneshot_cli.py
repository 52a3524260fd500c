"""``edgarmon classify`` as a newcomer meets it: arguments checked by argparse, and
each input that cannot be classified named on one line of stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgarmon.classifier import classify_command
from edgarmon.classifier.domain.text_extraction import MAX_INPUT_BYTES

SEED_8K = "004_4071176f85cd4a78.txt"


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        classify_command.run(argv)
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
    assert classify_command.parse_args(["--threshold", value, "x.txt"]).threshold == float(value)


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
    args = classify_command.parse_args(["--items", " 9.01, 8.01,9.01,", "x.txt"])

    assert args.items == ("9.01", "8.01")


def test_given_items_reach_the_classification(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert classify_command.run(["--items", "7.01", str(shared / "seeds" / SEED_8K)]) == 0

    assert "items 7.01" in capsys.readouterr().out


def failure(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """(stdout, stderr) of a run that exits 1."""
    assert classify_command.run(argv) == 1
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_a_missing_file_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nope.txt"

    out, err = failure([str(path)], capsys)

    assert (out, err) == ("", f"edgarmon classify: {path}: no such file\n")


def test_a_directory_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, err = failure([str(tmp_path)], capsys)

    assert (out, err) == ("", f"edgarmon classify: {tmp_path}: is a directory, not a file\n")


def test_a_binary_file_is_unreadable_not_classified_without_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "archive.zip"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 8)

    out, err = failure([str(path)], capsys)

    assert out == ""
    assert err == (
        f"edgarmon classify: {path}: unreadable: "
        "binary content where text was expected (archive.zip)\n"
    )


def test_a_broken_pdf_is_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a PDF")

    out, err = failure([str(path)], capsys)

    assert out == ""
    assert err.startswith(f"edgarmon classify: {path}: unreadable: broken PDF")
    assert err.count("\n") == 1


def test_an_empty_file_has_no_text_to_classify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.htm"
    path.write_bytes(b"")

    out, err = failure([str(path)], capsys)

    assert (out, err) == ("", f"edgarmon classify: {path}: no text to classify\n")


def test_a_file_over_the_cap_is_too_large(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"x" * (MAX_INPUT_BYTES + 1))

    out, err = failure([str(path)], capsys)

    assert (out, err) == (
        "",
        f"edgarmon classify: {path}: too large: "
        f"{MAX_INPUT_BYTES + 1} bytes, over the {MAX_INPUT_BYTES} cap\n",
    )


def test_a_submission_with_only_unreadable_documents_is_classified_from_its_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "0000000000-30-000001.txt"
    path.write_text(
        "<SEC-DOCUMENT>x\n<SEC-HEADER>\nCONFORMED SUBMISSION TYPE:\tUPLOAD\n</SEC-HEADER>\n"
        "<DOCUMENT>\n<TYPE>LETTER\n<SEQUENCE>1\n<FILENAME>letter.pdf\n<TEXT>\n<PDF>\n"
        "begin 644 letter.pdf\n%PDF-broken\nend\n</PDF>\n</TEXT>\n</DOCUMENT>\n"
    )

    assert classify_command.run([str(path)]) == 0

    out = capsys.readouterr().out
    assert out.startswith(f"{path}: form UPLOAD (sgml_header)")
    assert "  error [" in out


def test_the_other_inputs_are_still_classified_after_a_failure(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.txt"
    seed = shared / "seeds" / SEED_8K

    out, err = failure(["--json", str(missing), str(seed)], capsys)

    objects = [json.loads(line) for line in out.splitlines()]
    assert objects[0] == {"input": str(missing), "error": "no such file"}
    assert objects[1]["input"] == str(seed)
    assert {label["id"] for label in objects[1]["labels"]} == {"8k_item_8_01", "clinical_update"}
    assert err == f"edgarmon classify: {missing}: no such file\n"


def test_an_upload_letter_pdf_is_classified(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = (
        shared
        / "edgar/filings/sec_staff_letter/EA_9999999997-21-000527"
        / "9999999997-21-000527_filename1.pdf"
    )

    assert classify_command.run(["--json", str(letter)]) == 0

    result = json.loads(capsys.readouterr().out)
    assert result["form_type"] == "UPLOAD"
    assert [label["id"] for label in result["labels"]] == ["sec_correspondence"]
    assert result["details"]["sec_correspondence"]["direction"] == "sec_to_company"


def test_a_failed_download_names_the_error() -> None:
    url = "https://www.sec.gov/Archives/edgar/data/1/x.htm"

    with pytest.raises(
        classify_command.UnusableInput, match=r"^download failed: EdgarUnavailable: 503$"
    ):
        classify_command.input_bytes(url, {url: "EdgarUnavailable: 503"})


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (OSError(36, "File name too long"), "file name too long"),
    ],
)
def test_os_errors_read_as_a_few_words(error: OSError, reason: str) -> None:
    assert classify_command.os_reason(error) == reason
