"""Where the development tools find their inputs and write their outputs."""

from __future__ import annotations

from pathlib import Path

from edgarmon.classifier.domain.clinical import model as clinical_model


def project_root() -> Path:
    """The checkout: the nearest folder above this file that holds ``pyproject.toml``."""
    here = Path(__file__).resolve()
    return next((p for p in here.parents if (p / "pyproject.toml").exists()), Path.cwd())


def default_shared() -> Path:
    """``../shared`` beside the checkout."""
    return project_root().parent / "shared"


def model_path() -> Path:
    """The clinical model shipped in the classifier's source tree."""
    return Path(clinical_model.__file__).with_name(clinical_model.MODEL_FILE)
