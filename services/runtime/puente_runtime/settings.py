"""Settings from `PUENTE_*` environment variables, each with an embedded default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PUENTE_", extra="ignore")

    var_dir: Path = Path("var")
    bus: Literal["embedded", "kafka"] = "embedded"
    kafka_bootstrap: str = "127.0.0.1:9092"
    group_prefix: str = "puente"  # consumer groups are `<group_prefix>.<service>`
    topic_prefix: str = ""  # topics are `<topic_prefix>puente.<service>.events` (one broker, many)
    database_url: str | None = None
    clock_speed: float = 1.0
    clock_epoch: float | None = None
    clock_start: dt.datetime | None = None  # what the clock reads at the epoch (simulations)
    # memory: kept in this process (tracing.recent), for the embedded run's flow waterfall
    otel_exporter: Literal["none", "file", "otlp", "console", "memory"] = "none"
    otel_endpoint: str = "http://127.0.0.1:4318/v1/traces"
    retry_attempts: int = 3
    retry_backoff_seconds: float = 0.05
    wait_for_cause_seconds: float = 60.0  # once the consumer has nothing else to apply
    longest_wait_for_cause_seconds: float = 86_400.0  # however busy it is
    relay_poll_seconds: float = 0.5
    relay_crash_before: str | None = None
    health_port: int | None = None
    metrics_peers: str = ""  # the gateway's `operations`: other processes' /metrics URLs, a,b
    health_host: str = "127.0.0.1"  # 0.0.0.0 where Prometheus scrapes from elsewhere
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    trusted_proxies: str = ""  # addresses whose X-Forwarded-For the gateway believes
    code_key: str | None = None  # keys the registration-code hashes (a secret; see codes.py)
    outcome_timeout_seconds: float = 5.0
    subscriptions_per_token: int = 100  # live familyEvents subscriptions (gateway)
    subscriptions_per_organisation: int = 500
    subscriber_queue: int = 1000  # events waiting for one subscriber before it is stopped
    replay_page: int = 500  # timeline entries read at a time when a subscriber catches up
    min_notice_hours: float = 72.0
    policy_notice_hours: float = 24.0  # shelters hear of a policy change this long ahead
    # A family counts as stuck (gateway's stuckFamilies) past these: registered without an
    # appointment, an appointment without transport, past departure or arrival, unreleased.
    stuck_unscheduled_hours: float = 24.0
    stuck_unbooked_hours: float = 24.0
    stuck_departure_grace_hours: float = 1.0
    stuck_arrival_grace_hours: float = 2.0
    stuck_unreleased_hours: float = 12.0
    platform_key: str | None = None  # seals webhook secrets (a secret; see sealing.py)
    webhook_allow_private: bool = False  # webhooks to loopback/private addresses (dev, tests)
    notice_escalation_hours: float = 12.0  # an unacknowledged policy notice is sent again
    policy_at_risk_hours: float = 2.0  # and its policy is at risk this long before it applies
    smtp_url: str | None = None  # smtp[s]://[user:password@]host[:port]; unset: var/mail/*.eml
    mail_from: str = "Puente <notices@puente.example.org>"
    public_url: str | None = None  # links in e-mails; default http://gateway_host:gateway_port

    def database_for(self, service: str) -> str:
        """One database per service: the URL given, or a SQLite file under var/."""
        if self.database_url:
            return self.database_url.replace("{service}", service)
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.var_dir / service}.db"
