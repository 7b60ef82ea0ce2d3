"""The GraphQL API, one module per area; `puente_gateway.schema` assembles it."""
