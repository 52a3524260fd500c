"""Is a new JSON Schema of a topic compatible with the released one, for consumers?

Consumers read both old records (a compacted topic keeps them for ever; a replay
starts at the beginning) and new ones (their code may be older than ours), so a
change is compatible only if it keeps both working. The rules, which the README
states as the topics' contract:

- **Compatible**: a new optional field; a new value of an enumeration (every
  enumeration is open); a new kind of label (a new variant of a union of objects);
  a changed description, title or default.
- **Breaking**: a field removed or renamed; a field that becomes required, or a
  new required field; a changed type, including a field that may now be null; a
  changed or new constraint (length, range, pattern, format, constant); an enum
  value removed or an open enumeration closed; a union variant removed;
  ``additionalProperties: false``.

JSON Schema has no standard compatibility rules and no maintained Python checker
covers 2020-12 schemas with ``$defs``, so this is a small one of our own, tested in
``tests/core/test_schema_compat.py`` against deliberately breaking changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

Schema = Mapping[str, Any]

CONSTRAINTS: Final = (
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "uniqueItems",
)
"""Keywords whose every change is breaking. (``not`` is left out: the catch-all label
excludes the known ids with it, a list that grows with each new label.)"""


@dataclass(frozen=True, slots=True)
class Incompatibility:
    """One breaking change: where (a path such as ``$.filing.documents[].url``) and what."""

    path: str
    change: str

    def __str__(self) -> str:
        return f"{self.path}: {self.change}"


def incompatibilities(old: Schema, new: Schema) -> list[Incompatibility]:
    """Every change from ``old`` to ``new`` that breaks a consumer, in schema order."""
    return list(_Comparison(old, new).compare(old, new, "$"))


class _Comparison:
    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self._roots = (old_root, new_root)
        self._seen: set[tuple[str, str]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> Iterator[Incompatibility]:
        refs = (old.get("$ref", ""), new.get("$ref", ""))
        if any(refs):
            if refs in self._seen:
                return  # the same pair of definitions, already compared (or recursive)
            self._seen.add(refs)
        old, new = _resolve(self._roots[0], old), _resolve(self._roots[1], new)
        old_variants, new_variants = _variants(old), _variants(new)
        if len(old_variants) > 1 or len(new_variants) > 1:
            yield from self._compare_unions(old_variants, new_variants, path)
            return
        yield from self._compare_one(old, new, path)

    def _compare_unions(
        self, old_variants: list[Schema], new_variants: list[Schema], path: str
    ) -> Iterator[Incompatibility]:
        old_by_key = {self._variant_key(v, 0): v for v in old_variants}
        new_by_key = {self._variant_key(v, 1): v for v in new_variants}
        for key, old_variant in old_by_key.items():
            if key not in new_by_key:
                yield Incompatibility(path, f"variant {key} removed")
                continue
            yield from self.compare(old_variant, new_by_key[key], f"{path}<{key}>")
        objects_only = all(key.startswith("object") for key in old_by_key)
        for key in new_by_key.keys() - old_by_key.keys():
            if not (objects_only and key.startswith("object")):
                yield Incompatibility(path, f"variant {key} added (old consumers do not expect it)")

    def _variant_key(self, variant: Schema, side: int) -> str:
        resolved = _resolve(self._roots[side], variant)
        types = _types(resolved)
        if types == {"object"}:
            tag = resolved.get("properties", {}).get("id", {}).get("const")
            return f"object:{tag}" if tag is not None else f"object:{resolved.get('title', '')}"
        return "|".join(sorted(types)) or "any"

    def _compare_one(self, old: Schema, new: Schema, path: str) -> Iterator[Incompatibility]:
        old_types, new_types = _types(old), _types(new)
        if old_types != new_types:
            yield Incompatibility(path, f"type {_show(old_types)} became {_show(new_types)}")
            return
        yield from _compare_enums(old, new, path)
        for keyword in CONSTRAINTS:
            if old.get(keyword) != new.get(keyword):
                yield Incompatibility(
                    path, f"{keyword} {old.get(keyword)!r} became {new.get(keyword)!r}"
                )
        if (
            new.get("additionalProperties") is False
            and old.get("additionalProperties") is not False
        ):
            yield Incompatibility(path, "additionalProperties became false")
        if "object" in old_types:
            yield from self._compare_objects(old, new, path)
        if "array" in old_types and isinstance(old.get("items"), Mapping):
            yield from self.compare(old["items"], new.get("items", {}), f"{path}[]")

    def _compare_objects(self, old: Schema, new: Schema, path: str) -> Iterator[Incompatibility]:
        old_props: Mapping[str, Schema] = old.get("properties", {})
        new_props: Mapping[str, Schema] = new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name, old_prop in old_props.items():
            where = f"{path}.{name}"
            if name not in new_props:
                yield Incompatibility(where, "removed (or renamed)")
                continue
            if name in new_required and name not in old_required:
                yield Incompatibility(where, "became required (old records may lack it)")
            yield from self.compare(old_prop, new_props[name], where)
        for name in new_props.keys() - old_props.keys():
            if name in new_required:
                yield Incompatibility(f"{path}.{name}", "new required field")


def _resolve(root: Schema, node: Schema) -> Schema:
    """``node`` with a local ``$ref`` (``#/$defs/Name``) followed, keywords beside it kept."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    siblings = {key: value for key, value in node.items() if key != "$ref"}
    return {**_resolve(root, target), **siblings}


def _variants(node: Schema) -> list[Schema]:
    if _open_enum_values(node) is not None:
        return [node]
    union = node.get("anyOf") or node.get("oneOf")
    return list(union) if union else [node]


def _types(node: Schema) -> set[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    if "properties" in node:
        return {"object"}
    if "const" in node:
        return {_json_type(node["const"])}
    if "enum" in node:
        return {_json_type(value) for value in node["enum"]}
    return set()


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else "object"


def _open_enum_values(node: Schema) -> list[Any] | None:
    """The known values of an open enumeration (``anyOf: [{enum}, {type: string}]``)."""
    union = node.get("anyOf")
    if (
        isinstance(union, list)
        and len(union) == 2
        and "enum" in union[0]
        and union[1].get("type") == "string"
        and "enum" not in union[1]
    ):
        return list(union[0]["enum"])
    return None


def _compare_enums(old: Schema, new: Schema, path: str) -> Iterator[Incompatibility]:
    """Values may be added, and a closed enumeration opened; nothing else."""
    old_closed, new_closed = old.get("enum"), new.get("enum")
    old_known = old_closed if old_closed is not None else _open_enum_values(old)
    new_known = new_closed if new_closed is not None else _open_enum_values(new)
    if new_closed is not None and old_closed is None:
        yield Incompatibility(path, f"became the closed enumeration {new_closed}")
        return
    if old_known is None or new_known is None:
        return  # any value before, or any value now
    removed = [value for value in old_known if value not in new_known]
    if removed:
        yield Incompatibility(path, f"enum values removed: {removed}")


def _show(types: set[str]) -> str:
    return "|".join(sorted(types)) or "any"
