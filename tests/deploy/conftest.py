"""Rendered overlays for the deploy tests (kustomize from .tools/, see scripts/deploy-check)."""

from __future__ import annotations

import pytest

from tests.deploy.manifests import DEPLOY, OVERLAYS, Rendered, kustomize_binary, render


@pytest.fixture(scope="session")
def rendered_overlays() -> dict[str, Rendered]:
    kustomize = kustomize_binary()
    if kustomize is None:
        pytest.skip(
            "kustomize is not installed: run scripts/deploy-check once, which builds it "
            "into .tools/bin (or set EDGARMON_KUSTOMIZE)"
        )
    return {
        overlay: Rendered(overlay, tuple(render(kustomize, DEPLOY / "overlays" / overlay)))
        for overlay in OVERLAYS
    }


@pytest.fixture(params=OVERLAYS)
def rendered(request: pytest.FixtureRequest, rendered_overlays: dict[str, Rendered]) -> Rendered:
    overlay: str = request.param
    return rendered_overlays[overlay]
