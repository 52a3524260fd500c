"""`edgarmon schemas --register URL` against a local stand-in of a Confluent-compatible
schema registry, which answers as the registry's REST API documents: ids per
distinct schema, the same id for a schema registered again, 401 without credentials,
422 for a schema that is not JSON, and 409 when its compatibility rule refuses one.
(No real registry runs here: see the README's "Compatibility rules".)"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from edgarmon.core.domain.messages import MESSAGE_TYPES
from edgarmon.devtools import schemas

SUBJECTS = {
    "edgar.filings.discovered.v1-value",
    "edgar.filings.classified.v1-value",
    "edgar.alerts.sent.v1-value",
    "edgar.deadletter.v1-value",
    "edgar.backfill.v1-value",
}


@dataclass
class Registry:
    credentials: str | None = None
    refuse: dict[str, tuple[int, str]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    subjects: dict[str, list[int]] = field(default_factory=dict)
    auth_seen: list[str | None] = field(default_factory=list)

    def register(
        self, subject: str, body: dict[str, object], auth: str | None
    ) -> tuple[int, dict[str, object]]:
        self.auth_seen.append(auth)
        if self.credentials is not None and auth != self.credentials:
            return 401, {"error_code": 401, "message": "Unauthorized"}
        if subject in self.refuse:
            code, message = self.refuse[subject]
            return code, {"error_code": code, "message": message}
        schema = body.get("schema")
        if body.get("schemaType") != "JSON" or not isinstance(schema, str):
            return 422, {
                "error_code": 42201,
                "message": "Either the input schema or one of its references is invalid",
            }
        try:
            json.loads(schema)
        except json.JSONDecodeError:
            return 422, {"error_code": 42201, "message": "Invalid schema"}
        schema_id = self.ids.setdefault(schema, len(self.ids) + 1)
        versions = self.subjects.setdefault(subject, [])
        if schema_id not in versions:
            versions.append(schema_id)
        return 200, {"id": schema_id}


@pytest.fixture
def registry() -> Iterator[tuple[Registry, str]]:
    state = Registry()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = self.path.strip("/").split("/")
            if len(parts) != 3 or parts[0] != "subjects" or parts[2] != "versions":
                self._answer(404, {"error_code": 404, "message": "HTTP 404 Not Found"})
                return
            if not self.headers.get("Content-Type", "").startswith(
                "application/vnd.schemaregistry"
            ):
                self._answer(415, {"error_code": 415, "message": "Unsupported Media Type"})
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status, answer = state.register(
                unquote(parts[1]), body, self.headers.get("Authorization")
            )
            self._answer(status, answer)

        def _answer(self, status: int, answer: dict[str, object]) -> None:
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_every_schema_is_registered_under_its_topic_and_again_under_the_same_id(
    registry: tuple[Registry, str], capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = registry
    assert schemas.run(["--register", url]) == 0
    assert set(state.subjects) == SUBJECTS
    assert len(state.ids) == len(MESSAGE_TYPES)
    registered = dict(state.ids)
    assert json.loads(next(iter(registered)))["$schema"].endswith("2020-12/schema")
    first = capsys.readouterr().out
    assert "edgar.filings.classified.v1-value: schema id" in first
    assert schemas.run(["--register", url]) == 0
    assert state.ids == registered
    assert all(len(versions) == 1 for versions in state.subjects.values())
    assert capsys.readouterr().out == first


def test_credentials_come_from_a_file_and_are_never_printed(
    registry: tuple[Registry, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = registry
    state.credentials = "Basic ZG93bnN0cmVhbTpzM2NyZXQ="  # downstream:s3cret
    assert schemas.run(["--register", url]) == 1
    assert "the registry answered 401: Unauthorized" in capsys.readouterr().err
    secret = tmp_path / "registry-auth"
    secret.write_text("downstream:s3cret\n")
    assert schemas.run(["--register", url, "--registry-auth-file", str(secret)]) == 0
    assert set(state.subjects) == SUBJECTS
    captured = capsys.readouterr()
    assert "s3cret" not in captured.out + captured.err


def test_a_refused_schema_names_the_subject_and_the_reason(
    registry: tuple[Registry, str], capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = registry
    state.refuse["edgar.filings.classified.v1-value"] = (
        409,
        "Schema being registered is incompatible with an earlier schema for subject",
    )
    assert schemas.run(["--register", url]) == 1
    err = capsys.readouterr().err
    assert "edgar.filings.classified.v1-value: the registry answered 409: Schema being" in err


def test_no_registry_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert schemas.run(["--register", "http://127.0.0.1:9"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "the registry did not answer" in line
