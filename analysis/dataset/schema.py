"""The table schemas, in one place: read from `data/schemas/*.schema.json` (Table Schema shape).

Everything else (dtypes, validation, labels, the codebook in data/README.md) is derived from them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from analysis import paths

#: Tables in dependency order: a table's foreign keys point only to tables before it.
TABLES: tuple[str, ...] = (
    "sources",
    "rounds",
    "exchanges",
    "running_totals",
    "claims",
    "control",
    "positions",
    "deadlines",
)


LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Field:
    """One column of a table."""

    name: str
    type: str
    description: str
    constraints: dict
    unit: str | None = None
    foreign_key: str | None = None  # "table.column"
    is_list: bool = False
    is_url: bool = False

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class TableSchema:
    """A table's schema: its fields, key and plain-words warnings."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    usage_warnings: tuple[str, ...]
    raw: dict

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def date_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.type == "date"]


@cache
def table_schema(name: str) -> TableSchema:
    """The schema of table `name`, read from data/schemas/."""
    raw = json.loads((paths.schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    fields = tuple(
        Field(
            name=f["name"],
            type=f["type"],
            description=f.get("description", ""),
            constraints=f.get("constraints", {}),
            unit=f.get("unit"),
            foreign_key=f.get("x-foreign-key"),
            is_list=bool(f.get("x-list-separator")),
            is_url=bool(f.get("x-url")),
        )
        for f in raw["fields"]
    )
    return TableSchema(
        name=name,
        title=raw.get("title", name),
        description=raw.get("description", ""),
        fields=fields,
        primary_key=tuple(raw["primaryKey"]),
        usage_warnings=tuple(raw.get("usage_warnings", [])),
        raw=raw,
    )


def all_schemas() -> list[TableSchema]:
    """Every table's schema, in dependency order."""
    return [table_schema(t) for t in TABLES]


def frictionless_schema(name: str) -> dict:
    """The schema as a plain Frictionless Table Schema (our `x-` keys removed)."""
    raw = table_schema(name).raw
    fields = [{k: v for k, v in f.items() if not k.startswith("x-")} for f in raw["fields"]]
    return {"fields": fields, "primaryKey": list(raw["primaryKey"]), "missingValues": [""]}
