"""JSON Schemas of the public messages, generated from the models, and their releases.

``edgarmon schemas`` writes them to ``schemas/`` in the repository;
``edgarmon schemas --check`` fails when the committed files differ from the code,
or when they are not compatible for consumers with a release kept in
``schemas/released/<version>/`` (:mod:`edgarmon.devtools.schema_compat` has the rules;
``schemas/released/accepted-changes.yaml`` lists the reviewed exceptions).
``edgarmon schemas --release`` keeps the current schemas as
:data:`~edgarmon.core.domain.messages.INTERFACE_VERSION`; ``--register URL`` registers them
with a Confluent-compatible schema registry. CI runs the check as a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from edgarmon.core.domain.errors import SchemaRegistryError
from edgarmon.core.domain.messages import INTERFACE_VERSION, MESSAGE_TYPES, Message
from edgarmon.core.domain.topics import public_topics
from edgarmon.core.settings import ServiceSettings
from edgarmon.devtools.schema_compat import Incompatibility, incompatibilities
from edgarmon.devtools.schema_registry import basic_auth_from_file, register_all

ACCEPTED_CHANGES = "accepted-changes.yaml"


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


@dataclass(frozen=True, slots=True)
class AcceptedChange:
    """A breaking difference from a release that was reviewed and accepted, with why."""

    release: str
    schema: str
    path: str
    change: str
    reason: str

    def covers(self, release: str, schema: str, found: Incompatibility) -> bool:
        return (
            self.release == release
            and self.schema == schema
            and fnmatchcase(found.path, self.path)
            and found.change == self.change
        )


def accepted_changes(released_dir: Path) -> tuple[AcceptedChange, ...]:
    path = released_dir / ACCEPTED_CHANGES
    if not path.is_file():
        return ()
    entries = yaml.safe_load(path.read_text()) or []
    return tuple(AcceptedChange(**{k: str(v) for k, v in entry.items()}) for entry in entries)


def breaking_changes(directory: Path) -> list[str]:
    """Each change of the current schemas that breaks consumers of a release, as
    ``release schema path: change``, leaving out the accepted ones."""
    released_dir = directory / "released"
    accepted = accepted_changes(released_dir)
    found = []
    for release in sorted(p for p in released_dir.glob("*") if p.is_dir()):
        for message_type in MESSAGE_TYPES:
            old_path = release / schema_filename(message_type)
            if not old_path.is_file():
                continue
            old = json.loads(old_path.read_text())
            for change in incompatibilities(old, schema_for(message_type)):
                if not any(a.covers(release.name, message_type.CE_TYPE, change) for a in accepted):
                    found.append(f"{release.name} {message_type.CE_TYPE} {change}")
    return found


def release(directory: Path) -> Path:
    """Keep the current schemas as release :data:`INTERFACE_VERSION`."""
    target = directory / "released" / INTERFACE_VERSION
    if target.exists():
        raise FileExistsError(f"{target} exists: raise INTERFACE_VERSION for a new release")
    target.mkdir(parents=True)
    for message_type in MESSAGE_TYPES:
        shutil.copyfile(
            directory / schema_filename(message_type), target / schema_filename(message_type)
        )
    return target


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="edgarmon schemas",
        description=(
            "Write the JSON Schemas of the public messages, generated from the models, to "
            "schemas/ in the repository; with --check, fail when the committed files "
            "differ from the code or break consumers of a released version."
        ),
    )
    parser.add_argument("--dir", type=Path, default=default_dir())
    parser.add_argument(
        "--check", action="store_true", help="fail if the files are stale or not compatible"
    )
    parser.add_argument(
        "--register",
        metavar="URL",
        help="register the schemas with the Confluent-compatible schema registry at URL",
    )
    parser.add_argument(
        "--registry-auth-file",
        type=Path,
        metavar="PATH",
        help="a file holding `user:password` for the registry (never a flag value)",
    )
    parser.add_argument(
        "--release",
        action="store_true",
        help=f"keep the current schemas in released/{INTERFACE_VERSION}/",
    )
    args = parser.parse_args(argv)
    if args.check:
        return _check(args.dir)
    if args.register:
        return _register(args.register, args.registry_auth_file)
    if args.release:
        try:
            print(release(args.dir))
        except FileExistsError as exc:
            print(f"edgarmon schemas: {exc}", file=sys.stderr)
            return 1
        return 0
    args.dir.mkdir(parents=True, exist_ok=True)
    for message_type in MESSAGE_TYPES:
        (args.dir / schema_filename(message_type)).write_text(render(message_type))
        print(args.dir / schema_filename(message_type))
    return 0


def _register(url: str, auth_file: Path | None) -> int:
    """Register every message's schema under its topic's subject (topic names from
    the ``EDGARMON_TOPIC_*`` settings, as the services use them)."""
    topics = {spec.message_type: spec.name for spec in public_topics(ServiceSettings())}
    texts = {topics[message_type]: render(message_type) for message_type in MESSAGE_TYPES}
    try:
        authorization = basic_auth_from_file(auth_file) if auth_file else None
        registered = asyncio.run(register_all(url, texts, authorization=authorization))
    except SchemaRegistryError as exc:
        print(f"edgarmon schemas: {exc}", file=sys.stderr)
        return 1
    for entry in registered:
        print(f"{entry.subject}: schema id {entry.schema_id}")
    return 0


def _check(directory: Path) -> int:
    stale = stale_schemas(directory)
    if stale:
        print(f"stale schemas (run `edgarmon schemas`): {', '.join(stale)}", file=sys.stderr)
        return 1
    breaking = breaking_changes(directory)
    if breaking:
        print(
            "not compatible with a released interface (a breaking change needs a new .vN "
            "topic; see the README's compatibility rules):",
            *(f"  {line}" for line in breaking),
            sep="\n",
            file=sys.stderr,
        )
        return 1
    print(
        f"schemas are up to date and compatible with every release (interface {INTERFACE_VERSION})"
    )
    return 0
