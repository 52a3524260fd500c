"""JSON Schemas of the public messages, generated from the models.

``edgarmon schemas`` writes them to ``schemas/`` in the repository;
``edgarmon schemas --check`` fails when the committed files differ from the
code (CI runs the same check as a test).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from edgarmon.core.messages import MESSAGE_TYPES, Message


def schema_filename(message_type: type[Message]) -> str:
    return f"{message_type.CE_TYPE}.schema.json"


def schema_for(message_type: type[Message]) -> dict[str, object]:
    """The schema of a message as it travels (serialization mode: computed fields included)."""
    schema = message_type.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:edgarmon:schema:{message_type.CE_TYPE}",
        **schema,
    }


def render(message_type: type[Message]) -> str:
    return json.dumps(schema_for(message_type), indent=2, sort_keys=True) + "\n"


def default_dir() -> Path:
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file():
            return parent / "schemas"
    return Path("schemas")


def stale_schemas(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from the code."""
    stale = []
    for message_type in MESSAGE_TYPES:
        path = directory / schema_filename(message_type)
        if not path.is_file() or path.read_text() != render(message_type):
            stale.append(path.name)
    return stale


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="edgarmon schemas",
        description=(
            "Write the JSON Schemas of the public messages, generated from the models, to "
            "schemas/ in the repository; with --check, fail when the committed files "
            "differ from the code."
        ),
    )
    parser.add_argument("--dir", type=Path, default=default_dir())
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_schemas(args.dir)
        if stale:
            print(f"stale schemas (run `edgarmon schemas`): {', '.join(stale)}", file=sys.stderr)
            return 1
        print("schemas are up to date")
        return 0
    args.dir.mkdir(parents=True, exist_ok=True)
    for message_type in MESSAGE_TYPES:
        (args.dir / schema_filename(message_type)).write_text(render(message_type))
        print(args.dir / schema_filename(message_type))
    return 0
