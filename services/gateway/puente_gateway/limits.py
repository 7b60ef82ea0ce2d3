"""Bounds on what one GraphQL request may ask, judged before validation and in time linear in
the document (ARCHITECTURE.md: queries bounded in depth and cost), over HTTP and WebSockets.

A document is measured as if every fragment spread were expanded, but each fragment is
measured once and its figures reused wherever it is spread: `fragment F2 on Query { ...F1
...F1 }` costs twice F1 without walking F1 twice. (strawberry's depth and alias limiters
expand every spread: 29 such levels held the process for minutes.)

- depth: fields nested below the top-level field (introspection fields not counted, as
  graphql-depth-limit counts); reach: the same counting every field, and lists: the
  introspection lists nested in one another (types, fields, args...), which bound
  introspection (the standard introspection query reaches 14 and nests 3 lists: each list
  multiplies what is resolved, and the document's cost does not count that);
- cost: the fields of the expanded query; width: the most fields in one selection set;
- aliases in the expanded query; and the variables' nesting and number of values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

__all__ = [
    "MAX_ALIASES",
    "MAX_COST",
    "MAX_DEPTH",
    "MAX_LISTS",
    "MAX_REACH",
    "MAX_VARIABLE_NESTING",
    "MAX_VARIABLE_VALUES",
    "MAX_WIDTH",
    "QueryLimits",
    "Size",
    "measure",
    "refusal",
]

MAX_DEPTH = 10
MAX_REACH = 20
MAX_LISTS = 3
MAX_COST = 2000
MAX_WIDTH = 200
MAX_ALIASES = 20
MAX_VARIABLE_NESTING = 10
MAX_VARIABLE_VALUES = 2000
INTROSPECTION_LISTS = frozenset(
    {
        "types",
        "fields",
        "args",
        "inputFields",
        "interfaces",
        "possibleTypes",
        "enumValues",
        "directives",
    }
)


@dataclass(frozen=True)
class Size:
    """The figures of a selection set as if its fragments were expanded."""

    depth: int = 0
    reach: int = 0
    lists: int = 0
    cost: int = 0
    width: int = 0
    aliases: int = 0
    top: int = 0  # fields at the selection set's own level

    def __add__(self, other: Size) -> Size:
        """Two parts of one selection set side by side."""
        top = self.top + other.top
        return Size(
            depth=max(self.depth, other.depth),
            reach=max(self.reach, other.reach),
            lists=max(self.lists, other.lists),
            cost=self.cost + other.cost,
            width=max(self.width, other.width, top),
            aliases=self.aliases + other.aliases,
            top=top,
        )


def _field(node: FieldNode, below: Size) -> Size:
    """A field with `below` its own selection set."""
    nested = node.selection_set is not None
    introspection = node.name.value.startswith("__")
    return Size(
        depth=0 if introspection else below.depth + nested,
        reach=below.reach + nested,
        lists=below.lists + (node.name.value in INTROSPECTION_LISTS),
        cost=1 + below.cost,
        width=max(1, below.width),
        aliases=(node.alias is not None) + below.aliases,
        top=1,
    )


class _Measure:
    """Measures selection sets, each fragment once (a fragment in a cycle counts nothing:
    validation refuses the cycle)."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments
        self._sizes: dict[str, Size] = {}

    @property
    def measured(self) -> set[str]:
        return set(self._sizes)

    def fragment(self, name: str) -> Size:
        if name not in self._sizes:
            definition = self._fragments.get(name)
            self._sizes[name] = Size()  # in progress: a cycle stops here
            if definition is not None:
                self._sizes[name] = self.selections(definition.selection_set)
        return self._sizes[name]

    def selections(self, selection_set: SelectionSetNode | None) -> Size:
        size = Size()
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                size += _field(node, self.selections(node.selection_set))
            elif isinstance(node, FragmentSpreadNode):
                size += self.fragment(node.name.value)
            elif isinstance(node, InlineFragmentNode):
                size += self.selections(node.selection_set)
        return size


def measure(document: DocumentNode) -> tuple[Size, list[str]]:
    """The largest figures of any operation in the document, and the fragments no operation
    spreads (validation refuses them, but would walk them first)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    measuring = _Measure(fragments)
    sizes = [
        measuring.selections(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    size = Size(
        depth=max((s.depth for s in sizes), default=0),
        reach=max((s.reach for s in sizes), default=0),
        lists=max((s.lists for s in sizes), default=0),
        cost=max((s.cost for s in sizes), default=0),
        width=max((s.width for s in sizes), default=0),
        aliases=max((s.aliases for s in sizes), default=0),
    )
    return size, [name for name in fragments if name not in measuring.measured]


def _query_refusal(size: Size) -> str | None:
    if size.depth > MAX_DEPTH:
        return f"the query exceeds maximum operation depth of {MAX_DEPTH} ({size.depth} levels)"
    if size.reach > MAX_REACH:
        return f"the query nests {size.reach} levels, introspection included; at most {MAX_REACH}"
    if size.lists > MAX_LISTS:
        return f"the query nests {size.lists} introspection lists; at most {MAX_LISTS}"
    if size.cost > MAX_COST:
        return f"the query asks {size.cost} fields with its fragments expanded; at most {MAX_COST}"
    if size.width > MAX_WIDTH:
        return f"the query asks {size.width} fields of one object; at most {MAX_WIDTH}"
    if size.aliases > MAX_ALIASES:
        return f"{size.aliases} aliases found. Allowed: {MAX_ALIASES}"
    return None


def _values(variables: Any) -> Iterator[int]:
    """The nesting of each value in the variables."""
    level = [(variables, 0)]
    while level:
        value, nesting = level.pop()
        yield nesting
        if isinstance(value, Mapping):
            level.extend((v, nesting + 1) for v in value.values())
        elif isinstance(value, list):
            level.extend((v, nesting + 1) for v in value)


def _variables_refusal(variables: Any) -> str | None:
    for count, nesting in enumerate(_values(variables or {}), start=1):
        if nesting > MAX_VARIABLE_NESTING:
            return f"the variables nest deeper than {MAX_VARIABLE_NESTING} levels"
        if count > MAX_VARIABLE_VALUES:
            return f"the variables hold more than {MAX_VARIABLE_VALUES} values"
    return None


def refusal(document: DocumentNode, variables: Any = None) -> str | None:
    """Why the request is too large to run, or None."""
    try:
        size, unused = measure(document)
    except RecursionError:
        return "the query nests too deeply to be measured"
    if unused:
        return f"Fragment '{unused[0]}' is never used."
    return _query_refusal(size) or _variables_refusal(variables)


class QueryLimits(SchemaExtension):
    """Refuses a request beyond the bounds before validation runs (validation walks the
    document too), with one GraphQL error naming the bound."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            reason = refusal(context.graphql_document, context.variables)
            if reason is not None:
                context.pre_execution_errors = [GraphQLError(reason)]
        yield
