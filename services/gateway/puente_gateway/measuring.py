"""GraphQL's figures for `/metrics`: requests and their duration by operation.

An operation is named by its kind and its root fields as the schema spells them (`query
familyUnit`), never by the client's operation name or aliases: those are free text, and may
hold anything a caller types."""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import GraphQLSchema, OperationDefinitionNode, get_operation_ast
from puente_runtime import metrics
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

__all__ = ["Measured", "operation_label"]


def operation_label(context: ExecutionContext) -> str:
    document = context.graphql_document
    found = get_operation_ast(document, context.operation_name) if document else None
    if not isinstance(found, OperationDefinitionNode):
        return "unreadable"
    kind = found.operation.value
    schema: GraphQLSchema = context.schema._schema
    root = schema.get_root_type(found.operation)
    known = root.fields if root else {}
    names = {getattr(s, "name", None) for s in found.selection_set.selections}
    fields = sorted(name.value for name in names if name is not None and name.value in known)
    return f"{kind} {','.join(fields) or '-'}"


class Measured(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        labels = {"service": "gateway", "operation": operation_label(self.execution_context)}
        metrics.graphql_requests.add(1, labels)
        metrics.graphql_duration.record(time.perf_counter() - started, labels)
