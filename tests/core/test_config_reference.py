from __future__ import annotations

from pathlib import Path

from edgarmon.core.settings import settings_classes
from edgarmon.devtools import config_reference

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_configuration_reference_matches_the_settings_classes() -> None:
    text = README.read_text()
    assert config_reference.replace_block(text, config_reference.render()) == text, (
        "run `edgarmon config-reference --write README.md`"
    )


def test_every_service_setting_is_documented_with_a_meaning() -> None:
    rendered = config_reference.render()
    for service, settings_type in settings_classes().items():
        for name in settings_type.model_fields:
            variable = f"`EDGARMON_{name.upper()}`"
            assert variable in rendered, f"{service}: {variable} missing"
    assert "|  |" not in rendered, "every setting has a description"
