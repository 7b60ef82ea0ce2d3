"""Which requests the anonymous caller may make: a query whose every top-level field is
public. Decided on the request text alone, before anything executes, so anything else gets
a 401 rather than a partial answer."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse

__all__ = ["only_public"]


def only_public(query: str | None, operation_name: str | None, public: Iterable[str]) -> bool:
    if not query:
        return False
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return False
    allowed = set(public)
    selections = operations[0].selection_set.selections
    # A fragment at the top level is refused too: simpler than following it, and no public
    # client needs one.
    return all(isinstance(s, FieldNode) and s.name.value in allowed for s in selections)
