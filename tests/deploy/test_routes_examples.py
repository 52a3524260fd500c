"""The example routes files (Kubernetes ConfigMap and the compose stack) are valid."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from edgarmon.core.domain.messages import LabelId
from tests.deploy.manifests import DEPLOY, load_yaml

ROUTES_FILES = [DEPLOY / "base" / "routes.yaml", DEPLOY / "compose" / "routes.yaml"]
# Where the notifier keeps the routes file model (it moved once already).
MODEL_LOCATIONS = ("edgarmon.notifier.domain.routes_file", "edgarmon.notifier.domain.routes")


def routes_file_model() -> type[BaseModel] | None:
    for module_name in MODEL_LOCATIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        model = getattr(module, "RoutesFileConfig", None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model
    return None


@pytest.mark.parametrize("path", ROUTES_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_routes_name_real_labels_and_destinations(path: Path) -> None:
    data: dict[str, Any] = load_yaml(path)
    assert data["version"] == 1
    names = [route["name"] for route in data["routes"]]
    assert len(names) == len(set(names))
    labels = {label.value for label in LabelId}
    for route in data["routes"]:
        assert set(route["match"].get("labels", [])) <= labels, route["name"]
        assert route["deliver"].get("slack") or route["deliver"].get("email")
    assert {label for route in data["routes"] for label in route["match"]["labels"]} == labels


def test_the_compose_routes_need_no_slack_token() -> None:
    data: dict[str, Any] = load_yaml(DEPLOY / "compose" / "routes.yaml")
    assert all("slack" not in route["deliver"] for route in data["routes"])


@pytest.mark.parametrize("path", ROUTES_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_the_notifier_accepts_the_routes(path: Path) -> None:
    model = routes_file_model()
    if model is None:
        pytest.skip("the notifier's RoutesFileConfig is not importable yet")
    model.model_validate(load_yaml(path))
