"""The clinical-update model: a logistic regression over the features of a unit.

Its weights are learned from the labelled documents by ``edgarmon train-clinical``
(see :mod:`edgarmon.evaluation.training`), starting from the domain prior of
:mod:`~edgarmon.classifier.domain.clinical.features`, and shipped as ``model.json`` in
this package, with where they came from. The confidence of a ``clinical_update``
label is the model's probability; ``edgarmon evaluate`` checks that it is
calibrated on cross-validated predictions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from edgarmon.classifier.domain.clinical.features import FEATURES, PRIOR, PRIOR_BIAS

MODEL_FILE = "model.json"


@dataclass(frozen=True, slots=True)
class ClinicalModel:
    version: str
    weights: Mapping[str, float]
    bias: float
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def logit(self, values: Mapping[str, float]) -> float:
        return self.bias + sum(self.weights.get(name, 0.0) * x for name, x in values.items())

    def probability(self, values: Mapping[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, self.logit(values)))))

    def to_json(self) -> str:
        document = {
            "version": self.version,
            "features": list(FEATURES),
            "weights": {name: round(self.weights.get(name, 0.0), 4) for name in FEATURES},
            "bias": round(self.bias, 4),
            "provenance": dict(self.provenance),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ClinicalModel:
        document = json.loads(text)
        unknown = set(document["weights"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"model.json has weights for unknown features: {sorted(unknown)}")
        return cls(
            version=str(document["version"]),
            weights={name: float(w) for name, w in document["weights"].items()},
            bias=float(document["bias"]),
            provenance=document.get("provenance", {}),
        )


def prior_model() -> ClinicalModel:
    """The model before any data: the domain prior's weights."""
    return ClinicalModel("prior", dict(PRIOR), PRIOR_BIAS, {"trained_on": "nothing"})


@cache
def packaged_model() -> ClinicalModel:
    """The trained model shipped with the classifier (read once, on first use)."""
    text = (
        resources.files("edgarmon.classifier.domain.clinical")
        .joinpath(MODEL_FILE)
        .read_text(encoding="utf-8")
    )
    return ClinicalModel.from_json(text)
