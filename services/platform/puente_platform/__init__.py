"""The embedded platform: every service and the gateway in one process, on the embedded bus
and SQLite files under var/. An app: it composes services and is imported by nothing."""

from puente_platform.app import create_platform

__all__ = ["create_platform"]
