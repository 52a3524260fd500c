"""Register the public schemas with a Confluent-compatible schema registry.

``edgarmon schemas --register URL`` registers each message's JSON Schema under the
subject ``<topic>-value`` (the registry's default TopicNameStrategy), with
``schemaType: JSON``, through the registry's REST API
(``POST /subjects/{subject}/versions``). Registering a schema the subject already
has returns its existing id, so the command can run on every release. The registry
checks compatibility with the subject's earlier versions under its own setting; a
refusal (409) names the subject. Credentials come from a file, never a flag or a log.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import aiohttp

from edgarmon.core.domain.errors import SchemaRegistryError

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Registered:
    subject: str
    schema_id: int


def subject_for(topic: str) -> str:
    return f"{topic}-value"


def basic_auth_from_file(path: Path) -> str:
    """The ``Authorization`` header for ``user:password`` on the file's first line (a
    mounted secret)."""
    try:
        line = path.read_text().splitlines()[0].strip()
    except (OSError, IndexError) as exc:
        raise SchemaRegistryError(f"cannot read credentials from {path}: {exc}") from exc
    user, sep, password = line.partition(":")
    if not sep or not user:
        raise SchemaRegistryError(f"{path}: expected one line `user:password`")
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def register_all(
    base_url: str,
    schemas_by_topic: Mapping[str, str],
    *,
    authorization: str | None = None,
) -> list[Registered]:
    """Register each topic's schema text; raise :class:`SchemaRegistryError` on the
    first refusal, naming the subject and the registry's message."""
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    registered = []
    headers = {"Content-Type": CONTENT_TYPE}
    if authorization:
        headers["Authorization"] = authorization
    async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:
        for topic, schema in schemas_by_topic.items():
            subject = subject_for(topic)
            url = f"{base_url.rstrip('/')}/subjects/{quote(subject, safe='')}/versions"
            body = {"schemaType": "JSON", "schema": schema}
            try:
                async with session.post(url, data=json.dumps(body)) as response:
                    answer = await response.text()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise SchemaRegistryError(
                    f"{subject}: the registry did not answer: {type(exc).__name__}: {exc}"
                ) from exc
            registered.append(Registered(subject, _schema_id(subject, status, answer)))
    return registered


def _schema_id(subject: str, status: int, answer: str) -> int:
    try:
        parsed = json.loads(answer)
    except json.JSONDecodeError:
        parsed = {}
    if status == 200 and isinstance(parsed, dict) and isinstance(parsed.get("id"), int):
        return int(parsed["id"])
    message = parsed.get("message") if isinstance(parsed, dict) else None
    reason = message if isinstance(message, str) else answer[:200]
    raise SchemaRegistryError(f"{subject}: the registry answered {status}: {reason}")
