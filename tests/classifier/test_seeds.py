"""Both seed documents come out right from the one-shot CLI, with no flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from edgarmon.classifier import classify_command


def classify_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert classify_command.run(["--json", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    result: dict[str, Any] = json.loads(lines[0])
    return result


def label(result: dict[str, Any], label_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [x for x in result["labels"] if x["id"] == label_id]
    assert found, f"no {label_id} among {[x['id'] for x in result['labels']]}"
    return found[0]


def test_staff_letter_seed_is_sec_correspondence_from_staff(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = classify_json(shared / "seeds" / "000_d78ed06124df1aa2.txt", capsys)

    assert result["form_type"] == "UPLOAD"
    assert [x["id"] for x in result["labels"]] == ["sec_correspondence"]
    letter = label(result, "sec_correspondence")
    assert 0.5 <= letter["confidence"] <= 1.0
    assert letter["evidence"]
    details = letter["details"]
    assert details["direction"] == "sec_to_company"
    assert details["comment_count"] == 2
    assert details["response_deadline"] == "10 business days"
    assert details["reviewed_filing"]["form_type"] == "10-K"
    assert details["reviewed_filing"]["fiscal_year"] == 2008
    assert details["reviewed_filing"]["period"] == "fiscal year ended June 30, 2008"
    assert details["reviewed_filing"]["file_number"] == "000-17999"
    assert "John L. Krug" in details["staff_contacts"]
    assert result["details"]["sec_correspondence"] == details


def test_eight_k_seed_reports_item_8_01_and_a_clinical_update(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = classify_json(shared / "seeds" / "004_4071176f85cd4a78.txt", capsys)

    assert result["form_type"] == "8-K"
    assert result["items"] == ["8.01", "9.01"]
    assert {x["id"] for x in result["labels"]} == {"8k_item_8_01", "clinical_update"}
    item = label(result, "8k_item_8_01")
    assert item["details"]["decided_by"] == "document"
    assert item["evidence"][0]["text"] == "ITEM 8.01 OTHER EVENTS"

    clinical = label(result, "clinical_update")["details"]
    assert clinical["drugs"][0] == "huC242-DM4"
    assert {"Phase I", "Phase II"} <= set(clinical["phases"])
    assert {"gastric cancer", "colorectal cancer"} <= set(clinical["indications"])
    assert "AACR-NCI-EORTC" in clinical["meeting"]
    assert "trial_results" in clinical["event_kinds"]
    assert any("168 mg/m" in sentence for sentence in clinical["decisive_sentences"])


def test_both_seeds_in_one_run_print_one_object_each(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = sorted((shared / "seeds").glob("*.txt"))

    assert classify_command.run(["--json", *map(str, seeds)]) == 0

    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(o["input"]).name for o in objects] == [p.name for p in seeds]
    for obj in objects:
        assert {"form_type", "items", "labels", "details"} <= obj.keys()
        for found in obj["labels"]:
            assert {"id", "confidence", "evidence"} <= found.keys()
            assert 0.0 <= found["confidence"] <= 1.0


def test_plain_output_names_the_labels(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert classify_command.run([str(shared / "seeds" / "004_4071176f85cd4a78.txt")]) == 0

    out = capsys.readouterr().out
    assert "label 8k_item_8_01" in out
    assert "label clinical_update" in out
