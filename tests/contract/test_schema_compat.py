"""The compatibility check: the current schemas against the released ones, and the
check itself against deliberately breaking (and deliberately compatible) changes."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest

from edgarmon.core.domain.filing import Filing
from edgarmon.core.domain.messages import (
    INTERFACE_VERSION,
    MESSAGE_TYPES,
    DiscoverySource,
    FilingDiscovered,
    Message,
)
from edgarmon.devtools import schemas
from edgarmon.devtools.schema_compat import incompatibilities

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
RELEASED = SCHEMA_DIR / "released" / "1.0"

Mutation = Callable[[dict[str, Any]], None]


def released(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (RELEASED / f"io.edgarmon.{name}.v1.schema.json").read_text()
    )
    return loaded


def changes(name: str, mutate: Mutation) -> list[str]:
    old = released(name)
    new = copy.deepcopy(old)
    mutate(new)
    return [str(found) for found in incompatibilities(old, new)]


def test_the_current_schemas_keep_every_release_working() -> None:
    assert schemas.breaking_changes(SCHEMA_DIR) == []


def test_a_schema_is_compatible_with_itself() -> None:
    for path in RELEASED.glob("*.json"):
        schema = json.loads(path.read_text())
        assert incompatibilities(schema, schema) == []


def _defs(schema: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = schema["$defs"][name]
    return found


def _rename_items(s: dict[str, Any]) -> None:
    s["properties"]["item_numbers"] = s["properties"].pop("items")


def _add_required(s: dict[str, Any]) -> None:
    s["properties"]["priority"] = {"type": "integer"}
    s["required"].append("priority")


def _nullable_form(s: dict[str, Any]) -> None:
    props = _defs(s, "Filing")["properties"]
    props["form_type"] = {"anyOf": [props["form_type"], {"type": "null"}]}


def _drop_clinical_variant(s: dict[str, Any]) -> None:
    union = s["properties"]["labels"]["items"]
    union["oneOf"] = [v for v in union["oneOf"] if "Clinical" not in v["$ref"]]


@pytest.mark.parametrize(
    ("name", "mutate", "expected"),
    [
        pytest.param(
            "filing.classified",
            lambda s: s["properties"].pop("classifier_version"),
            "$.classifier_version: removed (or renamed)",
            id="field removed",
        ),
        pytest.param(
            "filing.classified", _rename_items, "$.items: removed (or renamed)", id="renamed"
        ),
        pytest.param(
            "filing.classified",
            lambda s: _defs(s, "Filing")["properties"]["form_type"].update(type="integer"),
            "$.filing.form_type: type string became integer",
            id="narrowed type",
        ),
        pytest.param(
            "filing.classified", _add_required, "$.priority: new required field", id="new required"
        ),
        pytest.param(
            "filing.classified",
            lambda s: s["required"].append("items"),
            "$.items: became required (old records may lack it)",
            id="optional became required",
        ),
        pytest.param(
            "filing.discovered",
            lambda s: _defs(s, "DiscoverySource")["enum"].remove("daily_index"),
            "$.source: enum values removed: ['daily_index']",
            id="enum value removed",
        ),
        pytest.param(
            "filing.classified",
            lambda s: _defs(s, "Evidence")["properties"]["text"].update(maxLength=500),
            "$.labels[]<object:sec_correspondence>.evidence[].text: maxLength 2000 became 500",
            id="tighter constraint",
        ),
        pytest.param(
            "filing.classified",
            _drop_clinical_variant,
            "$.labels[]: variant object:clinical_update removed",
            id="label removed",
        ),
        pytest.param(
            "filing.classified",
            _nullable_form,
            "$.filing.form_type: variant null added (old consumers do not expect it)",
            id="may now be null",
        ),
        pytest.param(
            "filing.classified",
            lambda s: _defs(s, "ClassificationError")["properties"]["stage"].update(enum=["fetch"]),
            "$.errors[].stage: became the closed enumeration ['fetch']",
            id="closed enumeration",
        ),
        pytest.param(
            "alert.sent",
            lambda s: s.update(additionalProperties=False),
            "$: additionalProperties became false",
            id="closed object",
        ),
    ],
)
def test_a_breaking_change_is_named(name: str, mutate: Mutation, expected: str) -> None:
    assert expected in changes(name, mutate)


def _new_label(s: dict[str, Any]) -> None:
    s["$defs"]["TrialHaltLabel"] = {
        "type": "object",
        "properties": {"id": {"const": "trial_halt", "type": "string"}},
        "required": ["id"],
    }
    s["properties"]["labels"]["items"]["oneOf"].append({"$ref": "#/$defs/TrialHaltLabel"})


@pytest.mark.parametrize(
    ("name", "mutate"),
    [
        pytest.param(
            "filing.classified",
            lambda s: s["properties"].update(priority={"type": "integer", "default": 0}),
            id="new optional field",
        ),
        pytest.param(
            "filing.discovered",
            lambda s: _defs(s, "DiscoverySource")["enum"].append("backfill"),
            id="new enum value",
        ),
        pytest.param("filing.classified", _new_label, id="new label"),
        pytest.param(
            "alert.sent",
            lambda s: s["properties"]["route"].update(description="the route's name"),
            id="description",
        ),
    ],
)
def test_an_additive_change_passes(name: str, mutate: Mutation) -> None:
    assert changes(name, mutate) == []


class _DiscoveredWithoutTime(Message):
    """FilingDiscovered as a careless change would leave it: ``discovered_at`` gone."""

    CE_TYPE: ClassVar[str] = FilingDiscovered.CE_TYPE
    schema_version: Literal[1] = 1
    filing: Filing
    source: DiscoverySource


def test_a_model_that_drops_a_field_fails_the_check(tmp_path: Path) -> None:
    assert incompatibilities(
        released("filing.discovered"), schemas.schema_for(_DiscoveredWithoutTime)
    )
    # The command line: a release whose schema has a field the code no longer writes.
    assert schemas.run(["--dir", str(tmp_path)]) == 0
    shutil.copytree(SCHEMA_DIR / "released", tmp_path / "released")
    assert schemas.run(["--dir", str(tmp_path), "--check"]) == 0
    path = tmp_path / "released" / "1.0" / schemas.schema_filename(FilingDiscovered)
    old = json.loads(path.read_text())
    old["properties"]["poll_id"] = {"type": "string"}
    path.write_text(json.dumps(old))
    assert schemas.run(["--dir", str(tmp_path), "--check"]) == 1


def test_an_accepted_change_must_match_exactly(tmp_path: Path) -> None:
    shutil.copytree(SCHEMA_DIR / "released", tmp_path / "released")
    for message_type in MESSAGE_TYPES:
        (tmp_path / schemas.schema_filename(message_type)).write_text(schemas.render(message_type))
    assert schemas.breaking_changes(tmp_path) == []
    (tmp_path / "released" / schemas.ACCEPTED_CHANGES).write_text("[]\n")
    left = schemas.breaking_changes(tmp_path)
    assert left, "without the reviewed exception the label ids show up"
    assert all(".id: became required" in line for line in left)


def test_a_release_is_kept_once(tmp_path: Path) -> None:
    assert schemas.run(["--dir", str(tmp_path)]) == 0
    assert schemas.run(["--dir", str(tmp_path), "--release"]) == 0
    kept = tmp_path / "released" / INTERFACE_VERSION
    assert sorted(p.name for p in kept.iterdir()) == sorted(
        schemas.schema_filename(m) for m in MESSAGE_TYPES
    )
    assert schemas.run(["--dir", str(tmp_path), "--release"]) == 1
