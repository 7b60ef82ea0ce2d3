"""Every AsyncAPI document we publish is valid for the official parser (`@asyncapi/parser`),
as a partner's code generator or catalogue would read it: not one diagnostic."""

from __future__ import annotations

from pathlib import Path

from puente_schemas.topics import SERVICES

from tests.node import run_tool

DOCUMENTS = Path(__file__).resolve().parents[2] / "schemas" / "asyncapi"


def test_the_official_parser_finds_nothing_wrong_in_any_document():
    files = [str(DOCUMENTS / f"{service}.json") for service in SERVICES]

    reports = run_tool("asyncapi-validate.mjs", *files)

    assert [report["file"] for report in reports] == files
    assert {report["file"]: report["diagnostics"] for report in reports} == {f: [] for f in files}
