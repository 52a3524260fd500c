"""The one codec between messages and Kafka records.

Bodies are JSON. CloudEvents metadata travels in binary-mode Kafka headers
(``ce_specversion``, ``ce_id``, ``ce_source``, ``ce_type``, ``ce_time``,
``ce_dataschema`` and ``content-type``). :func:`decode` validates both the
headers and the body against the expected message type, and raises
:class:`~edgarmon.core.domain.errors.DecodeError` with a reason a person can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import ValidationError

from edgarmon.core.domain.errors import DecodeError
from edgarmon.core.domain.messages import Message

CE_SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
MAX_REASON_CHARS = 1000

M = TypeVar("M", bound=Message)

Headers = Sequence[tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class KafkaRecord:
    """What goes onto a topic: key, value and headers, all bytes."""

    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...]


def dataschema_uri(message_type: type[Message]) -> str:
    """Where the JSON Schema of a message type lives in the repository."""
    return f"urn:edgarmon:schema:{message_type.CE_TYPE}"


def encode(message: Message, *, source: str) -> KafkaRecord:
    """Encode ``message`` as a Kafka record. ``source`` is the CloudEvents source,
    e.g. ``/edgarmon/poller``."""
    headers = (
        ("ce_specversion", CE_SPECVERSION.encode()),
        ("ce_id", message.event_id().encode()),
        ("ce_source", source.encode()),
        ("ce_type", message.CE_TYPE.encode()),
        ("ce_time", message.event_time().isoformat().encode()),
        ("ce_dataschema", dataschema_uri(type(message)).encode()),
        ("content-type", CONTENT_TYPE.encode()),
    )
    return KafkaRecord(
        key=message.kafka_key().encode(),
        value=message.model_dump_json().encode(),
        headers=headers,
    )


def header_map(headers: Headers) -> dict[str, str]:
    """Headers as text, for logs and dead letters; undecodable bytes are replaced."""
    return {name: value.decode("utf-8", "replace") for name, value in headers}


def decode(value: bytes | None, headers: Headers, expected: type[M]) -> M:
    """Decode a record into ``expected``, validating headers and body.

    Raises :class:`DecodeError` naming what is wrong.
    """
    meta = header_map(headers)
    if meta.get("ce_specversion") != CE_SPECVERSION:
        raise DecodeError(f"ce_specversion is {meta.get('ce_specversion')!r}, not '1.0'")
    if meta.get("ce_type") != expected.CE_TYPE:
        raise DecodeError(f"ce_type is {meta.get('ce_type')!r}, expected {expected.CE_TYPE!r}")
    content_type = meta.get("content-type", "")
    if content_type.split(";")[0].strip() != CONTENT_TYPE:
        raise DecodeError(f"content-type is {content_type!r}, expected {CONTENT_TYPE!r}")
    if value is None:
        raise DecodeError("the record has no value (a tombstone?)")
    try:
        message = expected.model_validate_json(value)
    except ValidationError as exc:
        raise DecodeError(_describe(exc)) from exc
    if meta.get("ce_id") != message.event_id():
        raise DecodeError(
            f"ce_id {meta.get('ce_id')!r} does not match the body's id {message.event_id()!r}"
        )
    return message


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    reason = f"invalid {exc.title}: " + "; ".join(parts)
    return reason[:MAX_REASON_CHARS]
