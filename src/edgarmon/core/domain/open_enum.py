"""Enumerations that a newer minor version of a topic may extend.

An :class:`OpenStrEnum` decodes a value it does not know instead of failing: the
result is a member named ``UNKNOWN`` whose value is the raw string, so nothing is
lost and re-encoding writes the same value back. ``member.known`` tells the two
apart. Its JSON Schema lists the known values and admits any other string::

    {"type": "string", "anyOf": [{"enum": ["a", "b"]}, {"type": "string"}]}

This is the compatibility rule of the public topics (README, "Topics"): adding a
value is a minor change; a consumer treats a value it does not know as unknown.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

UNKNOWN_NAME = "UNKNOWN"


class OpenStrEnum(StrEnum):
    """A string enumeration whose unknown values decode to ``UNKNOWN`` with the raw value."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = UNKNOWN_NAME
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        """False for a value added by a newer version than this code."""
        return self._name_ != UNKNOWN_NAME

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        known = schema.pop("enum")
        schema["anyOf"] = [
            {"enum": known},
            {"type": "string", "description": "a value added by a newer minor version"},
        ]
        schema["description"] = (
            schema.get("description", "").rstrip()
            + " Open enumeration: a newer minor version may add values; treat one you do not"
            " know as unknown."
        ).lstrip()
        return schema
