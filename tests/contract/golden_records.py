"""The committed golden records: v1 records as the released code produced them
(``golden/v1``), and records as a newer minor version would write them
(``golden/v1-newer-minor``: a new label, new enum values, new fields)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from edgarmon.core.domain.messages import MESSAGE_TYPES, Message

GOLDEN = Path(__file__).resolve().parent / "golden"
MESSAGE_TYPE_BY_CE_TYPE = {message_type.CE_TYPE: message_type for message_type in MESSAGE_TYPES}


@dataclass(frozen=True, slots=True)
class GoldenRecord:
    name: str
    topic: str
    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    @property
    def message_type(self) -> type[Message]:
        return MESSAGE_TYPE_BY_CE_TYPE[dict(self.headers)["ce_type"].decode()]

    @property
    def body(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads(self.value)
        return loaded


def golden_records(folder: str) -> list[GoldenRecord]:
    records = []
    for path in sorted((GOLDEN / folder).glob("*.json")):
        raw = json.loads(path.read_text())
        records.append(
            GoldenRecord(
                name=path.stem,
                topic=raw["topic"],
                key=raw["key"].encode(),
                value=raw["value"].encode(),
                headers=tuple((name, value.encode()) for name, value in raw["headers"]),
            )
        )
    return records


def golden_record(folder: str, name: str) -> GoldenRecord:
    return next(record for record in golden_records(folder) if record.name == name)
