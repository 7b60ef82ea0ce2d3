"""The envelope every command and event travels in: CloudEvents 1.0, Kafka binary mode.

Attributes go in `ce_*` headers, the body is the JSON of the contract, the key is the
subject (the family-unit id). Trace context travels beside them in `traceparent`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SPEC_VERSION = "1.0"
_ATTRIBUTES = {
    "ce_id": "id",
    "ce_type": "type",
    "ce_source": "source",
    "ce_time": "time",
    "ce_subject": "subject",
    "ce_correlationid": "correlation_id",
    "ce_causationid": "causation_id",
}


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    source: str
    time: dt.datetime
    subject: str
    correlation_id: str
    causation_id: str | None = None
    data: dict[str, Any]

    def headers(self) -> dict[str, str]:
        values = {header: getattr(self, name) for header, name in _ATTRIBUTES.items()}
        values["ce_time"] = self.time.isoformat()
        values["ce_specversion"] = SPEC_VERSION
        return {key: str(value) for key, value in values.items() if value is not None}

    def body(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_kafka(cls, headers: dict[str, str], body: bytes) -> Envelope:
        """Rebuild an envelope; raises ValueError naming what is missing or malformed."""
        missing = [h for h in ("ce_id", "ce_type", "ce_source", "ce_time") if h not in headers]
        if missing:
            raise ValueError(f"missing CloudEvents headers: {', '.join(missing)}")
        if headers.get("ce_specversion") != SPEC_VERSION:
            raise ValueError(f"unsupported ce_specversion {headers.get('ce_specversion')!r}")
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"body is not JSON: {error}") from error
        if not isinstance(data, dict):
            raise ValueError("body is not a JSON object")
        fields = {
            name: headers[header] for header, name in _ATTRIBUTES.items() if header in headers
        }
        fields.setdefault("subject", "")
        fields.setdefault("correlation_id", fields["id"])
        return cls(**fields, data=data)
