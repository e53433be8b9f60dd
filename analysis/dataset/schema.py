"""The table schemas, in one place: read from `data/schemas/*.schema.json` (Table Schema shape).

Everything else (dtypes, validation, labels, the codebook in data/README.md) is derived from them.

A field with a fixed list of values carries it as Table Schema v2 `categories`: each value with the
reader `label` a brief shows and a one-line `definition`. Party codes are one shared list,
`data/schemas/parties.json`, which a field names with `"x-codes": "parties"` (and, where only some
parties can appear, `"x-codes-only"`). `Field.enum`, `Field.label(value)` and
`Field.definition(value)` read either kind; `frictionless_schema` turns them into the plain `enum`
constraint Frictionless checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from analysis import paths

#: Tables in dependency order: a table's foreign keys point only to tables before it.
TABLES: tuple[str, ...] = (
    "sources",
    "rounds",
    "truces",
    "exchanges",
    "running_totals",
    "claims",
    "control",
    "positions",
    "deadlines",
)


LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Category:
    """One allowed value of a field: the stored code, its reader label and a one-line definition.

    `label_with_article` is the form a sentence needs where English puts "the" before a name
    ("the United States"); it is None where the label stands alone ("Ukraine").
    """

    value: str
    label: str
    definition: str
    label_with_article: str | None = None

    @property
    def in_sentence(self) -> str:
        """The label as it reads inside a sentence: "the United States", "Ukraine"."""
        return self.label_with_article or self.label


def _categories(items: list[dict]) -> tuple[Category, ...]:
    return tuple(
        Category(value=c["value"], label=c["label"], definition=c.get("definition", ""), label_with_article=c.get("label_with_article"))
        for c in items
    )


@cache
def code_list(name: str) -> tuple[Category, ...]:
    """A shared list of codes, `data/schemas/<name>.json` (e.g. `parties`), in its file order."""
    raw = json.loads((paths.schemas_dir() / f"{name}.json").read_text(encoding="utf-8"))
    return _categories(raw["categories"])


def parties() -> tuple[Category, ...]:
    """Every party code with its reader label (one list for actors, claimants, issuers, announcers)."""
    return code_list("parties")


def party_label(code: str, *, article: bool = False) -> str:
    """Reader name of a party code: "Ukraine"; "United States" or, with `article`, "the United States".

    An unknown code is returned as it is (validation reports it)."""
    for c in parties():
        if c.value == code:
            return c.in_sentence if article else c.label
    return code


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
    categories: tuple[Category, ...] = ()
    codes: str | None = None  # name of the shared code list the values come from ("parties")
    since: str | None = None  # dataset version that added the column (x-since), for release hashes

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def enum(self) -> tuple[str, ...] | None:
        """The allowed values in schema order, or None for a field without a fixed list."""
        return tuple(c.value for c in self.categories) if self.categories else None

    def category(self, value: str) -> Category:
        """The category of `value` (KeyError naming the field if the value is not allowed)."""
        for c in self.categories:
            if c.value == value:
                return c
        raise KeyError(f"{self.name}: no category {value!r}")

    def label(self, value: str, *, article: bool = False) -> str:
        """Reader label of a stored value ("rejects" for `reject`); with `article`, "the United States"."""
        c = self.category(value)
        return c.in_sentence if article else c.label

    def definition(self, value: str) -> str:
        """One-line definition of a stored value."""
        return self.category(value).definition


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


def _field(f: dict) -> Field:
    """A Field from its schema entry: categories inline, or taken from the shared list it names."""
    codes = f.get("x-codes")
    if codes:
        cats = code_list(codes)
        only = f.get("x-codes-only")
        if only:
            cats = tuple(c for c in cats if c.value in only)
    else:
        cats = _categories(f.get("categories", []))
    constraints = dict(f.get("constraints", {}))
    if cats:
        # Derived, so code written against `constraints["enum"]` keeps working.
        constraints["enum"] = [c.value for c in cats]
    return Field(
        name=f["name"],
        type=f["type"],
        description=f.get("description", ""),
        constraints=constraints,
        unit=f.get("unit"),
        foreign_key=f.get("x-foreign-key"),
        is_list=bool(f.get("x-list-separator")),
        is_url=bool(f.get("x-url")),
        categories=cats,
        codes=codes,
        since=f.get("x-since"),
    )


@cache
def table_schema(name: str) -> TableSchema:
    """The schema of table `name`, read from data/schemas/."""
    raw = json.loads((paths.schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    return TableSchema(
        name=name,
        title=raw.get("title", name),
        description=raw.get("description", ""),
        fields=tuple(_field(f) for f in raw["fields"]),
        primary_key=tuple(raw["primaryKey"]),
        usage_warnings=tuple(raw.get("usage_warnings", [])),
        raw=raw,
    )


def all_schemas() -> list[TableSchema]:
    """Every table's schema, in dependency order."""
    return [table_schema(t) for t in TABLES]


def frictionless_schema(name: str) -> dict:
    """The schema as a plain Frictionless Table Schema: our `x-` keys and `categories` removed, each
    single-value categorical field given an `enum` constraint (list cells are checked value by value
    in analysis.dataset.validate)."""
    schema = table_schema(name)
    fields = []
    for raw_field, f in zip(schema.raw["fields"], schema.fields):
        out = {k: v for k, v in raw_field.items() if not k.startswith("x-") and k != "categories"}
        constraints = dict(raw_field.get("constraints", {}))
        if f.enum and not f.is_list:
            constraints["enum"] = list(f.enum)
        if constraints:
            out["constraints"] = constraints
        fields.append(out)
    return {"fields": fields, "primaryKey": list(schema.primary_key), "missingValues": [""]}
