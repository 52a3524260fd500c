from __future__ import annotations

import json
from pathlib import Path

from edgarmon.core.domain.messages import MESSAGE_TYPES
from edgarmon.devtools import schemas

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"


def test_committed_schemas_match_the_models() -> None:
    stale = schemas.stale_schemas(SCHEMA_DIR)
    assert stale == [], f"run `edgarmon schemas` to regenerate: {stale}"


def test_every_message_type_has_a_schema_naming_its_version() -> None:
    for message_type in MESSAGE_TYPES:
        schema = json.loads((SCHEMA_DIR / schemas.schema_filename(message_type)).read_text())
        assert schema["properties"]["schema_version"]["const"] == 1
        assert schema["$id"].endswith(".v1")


def test_the_check_fails_on_drift(tmp_path: Path) -> None:
    assert schemas.run(["--dir", str(tmp_path)]) == 0
    target = tmp_path / schemas.schema_filename(MESSAGE_TYPES[0])
    target.write_text(target.read_text().replace('"filing"', '"filing_renamed"'))
    assert schemas.run(["--dir", str(tmp_path), "--check"]) == 1
    assert schemas.stale_schemas(tmp_path) == [target.name]
