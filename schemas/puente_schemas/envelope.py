"""The envelope every command and event travels in: CloudEvents 1.0, Kafka binary mode.

Attributes go in `ce_*` headers, the body is the JSON of the contract (`content-type:
application/json`), the key is the subject (the family-unit id). Trace context travels beside
them in `traceparent`. `Headers` is the wire form, published as JSON Schema; `Envelope` is what
services work with.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import ErrorDetails

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
# application/json or a structured +json type (RFC 6839), parameters allowed
JSON_MEDIA_TYPE = r"^application/([a-z0-9!#$&^_.-]+\+)?json(;.*)?$"
TRACEPARENT = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


def _absent_if_empty(value: object) -> object:
    """An empty optional header counts as absent (the spec forbids sending it empty; we
    read one leniently, as older Puente versions sent an empty `ce_subject`)."""
    return None if value == "" else value


def _media_type(value: object) -> object:
    """Media types are case-insensitive; an empty one counts as absent."""
    return (value.strip().lower() or None) if isinstance(value, str) else value


def _json(value: str | None) -> str | None:
    if value is not None and not re.match(JSON_MEDIA_TYPE, value):
        raise ValueError("not a JSON media type: the body must be application/json")
    return value


Text = Annotated[str, Field(min_length=1)]
OptionalText = Annotated[Text | SkipJsonSchema[None], BeforeValidator(_absent_if_empty)]


class Headers(BaseModel):
    """CloudEvents 1.0 attributes as Kafka headers (binary content mode), as they travel."""

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        title="CloudEvents Kafka headers",
        json_schema_extra=lambda schema: _absent_not_null(schema),
    )

    ce_id: Text = Field(description="Unique per source; a redelivery keeps it")
    ce_source: Text = Field(description="The sending service, e.g. /puente/scheduling")
    ce_type: Text = Field(description="Contract and version: org.puente.<service>.<name>.v1")
    ce_specversion: Literal["1.0"]
    ce_time: Annotated[AwareDatetime | SkipJsonSchema[None], BeforeValidator(_absent_if_empty)] = (
        Field(None, description="RFC 3339; when absent, the time the message was received")
    )
    ce_subject: OptionalText = Field(None, description="Family-unit id (or policy, site, shelter)")
    ce_correlationid: OptionalText = Field(
        None, description="The command that started this chain; when absent, ce_id"
    )
    ce_causationid: OptionalText = Field(None, description="ce_id of the message that caused this")
    ce_puentesimulated: Annotated[
        Literal["true", "false"] | SkipJsonSchema[None], BeforeValidator(_absent_if_empty)
    ] = Field(
        None,
        description="true: sent by the field simulator (demos, benches), or caused by a"
        " message that was; absent or false: a real one",
    )
    content_type: Annotated[
        str | SkipJsonSchema[None], BeforeValidator(_media_type), AfterValidator(_json)
    ] = Field(
        None,
        alias="content-type",
        description="Media type of the body: Puente sends application/json; when absent, JSON",
        json_schema_extra={"pattern": JSON_MEDIA_TYPE},
    )
    traceparent: str | SkipJsonSchema[None] = Field(
        None,
        description="W3C trace context; a malformed one is ignored (a new trace starts)",
        json_schema_extra={"pattern": TRACEPARENT},
    )

    @classmethod
    def read(cls, headers: dict[str, str]) -> Headers:
        """Validate; raises ValueError naming every missing or malformed header."""
        try:
            return cls.model_validate(headers)
        except ValidationError as error:
            raise ValueError(_problems(error)) from error


def _absent_not_null(schema: dict[str, Any]) -> None:
    """A header is absent or a string: it has no null default to publish."""
    for field in schema["properties"].values():
        field.pop("default", None)
        field.pop("title", None)


def _message(error: ErrorDetails) -> str:
    return str(error["ctx"]["error"]) if error["type"] == "value_error" else error["msg"]


def _problems(error: ValidationError) -> str:
    errors = [e for e in error.errors() if e["type"] != "none_required"]  # "or absent"
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"]
    wrong = [f"{e['loc'][0]}: {_message(e)}" for e in errors if e["type"] != "missing"]
    said = [f"missing CloudEvents headers: {', '.join(missing)}"] if missing else []
    return "; ".join(said + wrong)


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    source: str
    time: AwareDatetime
    subject: str
    correlation_id: str
    causation_id: str | None = None
    simulated: bool = False  # the field simulator sent it, or caused it
    data: dict[str, Any]

    def headers(self) -> dict[str, str]:
        """The wire headers; an attribute without a value is left out, never sent empty."""
        values = {
            "ce_id": self.id,
            "ce_type": self.type,
            "ce_source": self.source,
            "ce_specversion": SPEC_VERSION,
            "ce_time": self.time.isoformat(),
            "ce_subject": self.subject,
            "ce_correlationid": self.correlation_id,
            "ce_causationid": self.causation_id,
            "ce_puentesimulated": "true" if self.simulated else None,
            "content-type": CONTENT_TYPE,
        }
        return {key: value for key, value in values.items() if value}

    def body(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_kafka(
        cls, headers: dict[str, str], body: bytes, *, received_at: dt.datetime | None = None
    ) -> Envelope:
        """Rebuild an envelope; raises ValueError naming what is missing or malformed.
        Only the required attributes must be there: the time of receipt (`received_at`,
        else now) stands in for a missing time, the id for a missing correlation id."""
        wire = Headers.read(headers)
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"body is not JSON: {error}") from error
        if not isinstance(data, dict):
            raise ValueError("body is not a JSON object")
        return cls(
            id=wire.ce_id,
            type=wire.ce_type,
            source=wire.ce_source,
            time=wire.ce_time or received_at or dt.datetime.now(dt.UTC),
            subject=wire.ce_subject or "",
            correlation_id=wire.ce_correlationid or wire.ce_id,
            causation_id=wire.ce_causationid,
            simulated=wire.ce_puentesimulated == "true",
            data=data,
        )
