"""Alembic's entry point for this history (puente_runtime.upgrades runs it)."""

from puente_runtime.upgrades import run_env

run_env()
