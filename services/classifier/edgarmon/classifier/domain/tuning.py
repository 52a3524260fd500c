"""What the classifier has learned from labelled documents, in one value.

The rules run the same everywhere; what was fitted to data travels as a
:class:`Tuning`: the clinical model's weights, and the vocabulary terms switched
off. In production that is the packaged model with every term on. The
evaluation's cross-validation builds one per held-out company: a model trained
without that company, and every term only that company's documents use
switched off, so that nothing fitted to a document vouches for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from edgarmon.classifier.domain.clinical.model import ClinicalModel, packaged_model


@dataclass(frozen=True, slots=True)
class Tuning:
    clinical_model: ClinicalModel
    disabled_terms: frozenset[str] = field(default_factory=frozenset)
    """Names of vocabulary terms (clinical signals, letter phrases) not to use."""


@cache
def default_tuning() -> Tuning:
    """The packaged model, every term on."""
    return Tuning(packaged_model())
