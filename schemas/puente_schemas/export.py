"""Export JSON Schema of every contract and of the envelope's headers, and an AsyncAPI 3.1
document of every service.

`python -m puente_schemas.export DIR` writes them; a test fails when the committed files
differ from what the code would write.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from puente_schemas import CONTRACTS
from puente_schemas.catalog import CONSUMES, Contract, publishes
from puente_schemas.envelope import CONTENT_TYPE, Headers
from puente_schemas.topics import SERVICES

ASYNCAPI_VERSION = "3.1.0"
HEADERS = "CloudEventsKafkaHeaders"
REF = "#/components/schemas/{model}"


def json_schemas() -> dict[str, dict[str, Any]]:
    schemas = {f"{t}.json": m.model_json_schema() for t, m in sorted(CONTRACTS.items())}
    schemas["envelope.json"] = Headers.model_json_schema(by_alias=True)
    return schemas


def _name(model: Contract) -> str:
    return model.TYPE.removeprefix("org.puente.")


# What the simulator's messages say in their headers, beside their type.
SIMULATED_HEADERS = {
    "ce_source": {"const": "/puente/simulator"},
    "ce_puentesimulated": {"const": "true"},
}


def _message(
    model: Contract, payload: dict[str, Any], headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A message as it travels: CloudEvents attributes in headers, the contract as JSON."""
    return {
        "name": model.TYPE,
        "title": model.__name__,
        "contentType": CONTENT_TYPE,
        "headers": {
            "allOf": [
                {"$ref": f"#/components/schemas/{HEADERS}"},
                {
                    "type": "object",
                    "properties": {"ce_type": {"const": model.TYPE}, **(headers or {})},
                },
            ]
        },
        "correlationId": {
            "description": "The command that started the chain of messages",
            "location": "$message.header#/ce_correlationid",
        },
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": "family-unit id (else the policy, site or shelter)",
                },
                "bindingVersion": "0.5.0",
            }
        },
        "payload": payload,
    }


def asyncapi(service: str) -> dict[str, Any]:
    sent, received = publishes(service), CONSUMES[service]
    models = {_name(m): m for m in (*sent, *received)}
    channels: dict[str, Any] = {}
    for name, model in sorted(models.items()):
        channel = channels.setdefault(model.TOPIC, {"address": model.TOPIC, "messages": {}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    operations = {
        f"{action}.{_name(m)}": {
            "action": action,
            "channel": {"$ref": f"#/channels/{m.TOPIC}"},
            "messages": [{"$ref": f"#/channels/{m.TOPIC}/messages/{_name(m)}"}],
        }
        for action, group in (("send", sent), ("receive", received))
        for m in group
    }
    # One set of definitions for the document, so every reference resolves within it.
    payloads, definitions = models_json_schema(
        [(m, "validation") for m in models.values()], ref_template=REF
    )
    schemas = {**definitions["$defs"], HEADERS: Headers.model_json_schema(by_alias=True)}
    simulated = SIMULATED_HEADERS if service == "simulator" else {}
    messages = {
        name: _message(model, payloads[(model, "validation")], simulated if model in sent else None)
        for name, model in sorted(models.items())
    }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": f"puente-{service}",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary content mode: attributes in ce_*"
            " headers, the body application/json, the key the family-unit id.",
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": dict(sorted(channels.items())),
        "operations": dict(sorted(operations.items())),
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def exports() -> dict[str, str]:
    """Relative path -> file text, for everything exported."""
    files = {f"jsonschema/{n}": s for n, s in json_schemas().items()}
    files |= {f"asyncapi/{s}.json": asyncapi(s) for s in SERVICES}
    return {path: json.dumps(doc, indent=2, sort_keys=True) + "\n" for path, doc in files.items()}


def write(root: Path) -> None:
    for path, text in exports().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas"))
