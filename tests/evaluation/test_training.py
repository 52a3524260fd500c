"""Training the clinical model: reproducible, and a fit that does what a prior promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgarmon.classifier.domain.clinical.model import ClinicalModel, packaged_model
from edgarmon.evaluation import training
from edgarmon.evaluation.logistic import fit
from edgarmon.evaluation.shared_folder import model_path


def test_the_packaged_model_is_what_the_labelled_data_gives(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert training.run(["--shared", str(shared), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_the_packaged_model_says_where_it_came_from() -> None:
    document = json.loads(model_path().read_text(encoding="utf-8"))
    provenance = document["provenance"]

    assert provenance["trained_by"] == "edgarmon train-clinical"
    assert set(provenance["labels"]) == set(training.LABEL_FILES)
    assert provenance["positives"] >= 30
    assert provenance["companies"] >= 50
    assert packaged_model().weights == ClinicalModel.from_json(model_path().read_text()).weights


def test_a_stale_model_is_reported(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "model.json"
    stale.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(training, "model_path", lambda: stale)

    assert training.run(["--shared", str(shared), "--check"]) == 1
    assert training.run(["--shared", str(shared)]) == 0
    assert ClinicalModel.from_json(stale.read_text(encoding="utf-8")).version == "clinical-lr-1"


def test_weights_the_data_says_nothing_about_stay_at_their_prior() -> None:
    examples = [({"a": 1.0}, True), ({"a": 1.0}, True), ({}, False), ({}, False)]

    result = fit(examples, {"a": 0.5, "b": -2.0}, 0.0)

    assert result.weights["b"] == pytest.approx(-2.0)
    assert result.weights["a"] > 0.5  # the data pulls it up


def test_the_prior_holds_a_weight_back_from_separable_data() -> None:
    examples = [({"a": 1.0}, True)] * 3 + [({}, False)] * 3

    weak = fit(examples, {"a": 0.0}, 0.0, strength=10.0)
    strong = fit(examples, {"a": 0.0}, 0.0, strength=0.1)

    assert 0.0 < weak.weights["a"] < strong.weights["a"]
    assert strong.iterations < 50


def test_the_fit_is_deterministic() -> None:
    examples = [({"a": 1.0, "b": 2.0}, True), ({"b": 1.0}, False), ({"a": 2.0}, True)]

    assert fit(examples, {"a": 0.0, "b": 0.0}, 0.0) == fit(examples, {"a": 0.0, "b": 0.0}, 0.0)
