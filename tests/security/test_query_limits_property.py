"""Issue 8, item 9: any GraphQL document, with fragments spreading fragments, aliases and
nesting, is answered or refused within a bound (hypothesis's deadline per document), and it is
refused by the query limits exactly when its expansion, computed here the slow and obvious
way, goes beyond them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from hypothesis import event, given, settings
from hypothesis import strategies as st
from puente_gateway import limits
from puente_gateway.roles import Role
from puente_gateway.schema import schema

from tests.gateway.support import principal

CONTEXT = {"gateway": None, "principal": principal(Role.ADMIN)}
LIMIT_MESSAGES = (
    "at most",
    "aliases found. Allowed",
    "exceeds maximum operation depth",
    "is never used.",
)


@st.composite
def selections(draw: st.DrawFn, fragments: int, nesting: int) -> str:
    """A selection set on `__Type`: leaves, aliases, spreads of earlier fragments (repeated,
    so expansions multiply), inline fragments, and nested `ofType` and `fields`."""
    kinds = ["leaf", "alias"] + (["spread"] * 3 if fragments else [])
    kinds += ["inline", "of_type", "fields"] if nesting else []
    parts = []
    for kind in draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=5)):
        if kind in ("leaf", "alias"):
            leaf = draw(st.sampled_from(["name", "kind", "description"]))
            parts.append(f"a_{leaf}: {leaf}" if kind == "alias" else leaf)
        elif kind == "spread":
            parts.append(f"...F{draw(st.integers(0, fragments - 1))}")
        else:
            inner = draw(selections(fragments, nesting - 1))
            parts.append(
                {
                    "inline": f"... on __Type {{ {inner} }}",
                    "of_type": f"ofType {{ {inner} }}",
                    "fields": f"fields {{ name type {{ {inner} }} }}",
                }[kind]
            )
    return " ".join(parts)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """An operation and its fragments, each fragment spread by the next (and by others)."""
    count = draw(st.integers(0, 10))
    chain = [f"...F{n - 1}" if n else "" for n in range(count + 1)]
    fragments = [
        f"fragment F{n} on __Type {{ {chain[n]} {draw(selections(n, 2))} }}" for n in range(count)
    ]
    selected = f"{chain[count]} {draw(selections(count, 2))}"
    operation = f'{{ __typename __type(name: "Query") {{ {selected} }} }}'
    return " ".join([operation, *fragments])


class TooCostly(Exception):
    pass


@dataclass
class Expanded:
    """A field of the fully expanded query."""

    name: str
    alias: str | None
    below: list[Expanded] | None


def expand(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    used: set[str],
    budget: list[int],
) -> list[Expanded]:
    """Every spread replaced by its fragment, again and again; stops past the cost bound."""
    fields: list[Expanded] = []
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            budget[0] -= 1
            if budget[0] < 0:
                raise TooCostly
            below = node.selection_set and expand(node.selection_set, fragments, used, budget)
            fields.append(Expanded(node.name.value, node.alias and node.alias.value, below))
        elif isinstance(node, FragmentSpreadNode):
            used.add(node.name.value)
            fields += expand(fragments[node.name.value].selection_set, fragments, used, budget)
        elif isinstance(node, InlineFragmentNode):
            fields += expand(node.selection_set, fragments, used, budget)
    return fields


def beyond_the_limits(document: str) -> bool:
    parsed = parse(document)
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    (operation,) = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    used: set[str] = set()
    try:
        tree = expand(operation.selection_set, fragments, used, [limits.MAX_COST])
    except TooCostly:
        return True

    def walk(fields: list[Expanded], depth: int, reach: int, lists: int) -> bool:
        if len(fields) > limits.MAX_WIDTH:
            return True
        for field in fields:
            here = (depth, reach, lists + (field.name in limits.INTROSPECTION_LISTS))
            if field.name.startswith("__"):
                here = (-(10**6), *here[1:])  # introspection does not count in depth
            if here[0] > limits.MAX_DEPTH or here[1] > limits.MAX_REACH:
                return True
            if here[2] > limits.MAX_LISTS:
                return True
            if field.below and walk(field.below, here[0] + 1, here[1] + 1, here[2]):
                return True
        return False

    def aliases(fields: list[Expanded]) -> int:
        return sum((f.alias is not None) + aliases(f.below or []) for f in fields)

    return bool(set(fragments) - used) or walk(tree, 0, 0, 0) or aliases(tree) > limits.MAX_ALIASES


@settings(max_examples=300, deadline=dt.timedelta(seconds=2))
@given(documents())
def test_every_document_is_answered_or_refused_within_a_bound(document: str) -> None:
    result = schema.execute_sync(document, context_value=CONTEXT)

    errors = result.errors or []
    refused = [e for e in errors if any(m in e.message for m in LIMIT_MESSAGES)]
    assert result.data is not None or errors
    assert all(e.original_error is None for e in errors), errors
    beyond = beyond_the_limits(document)
    event("beyond the limits" if beyond else "within the limits")
    if beyond:
        assert result.data is None and len(errors) == 1 and refused, errors
    else:
        assert not refused, errors
