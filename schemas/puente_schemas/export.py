"""Export JSON Schema of every contract and an AsyncAPI 3.0 document of every service.

`python -m puente_schemas.export DIR` writes them; a test fails when the committed files
differ from what the code would write.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from puente_schemas import CONTRACTS, Envelope
from puente_schemas.catalog import CONSUMES, Contract, publishes
from puente_schemas.topics import SERVICES


def json_schemas() -> dict[str, dict[str, Any]]:
    schemas = {f"{t}.json": m.model_json_schema() for t, m in sorted(CONTRACTS.items())}
    schemas["envelope.json"] = Envelope.model_json_schema()
    return schemas


def _name(model: Contract) -> str:
    return model.TYPE.removeprefix("org.puente.")


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
    messages = {
        name: {
            "name": model.TYPE,
            "contentType": "application/json",
            "headers": {
                "type": "object",
                "required": ["ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion"],
            },
            "bindings": {"kafka": {"key": {"type": "string", "description": "family-unit id"}}},
            "payload": model.model_json_schema(),
        }
        for name, model in sorted(models.items())
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"puente-{service}", "version": "1.0.0"},
        "defaultContentType": "application/json",
        "channels": dict(sorted(channels.items())),
        "operations": dict(sorted(operations.items())),
        "components": {"messages": messages},
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
