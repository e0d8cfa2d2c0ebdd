"""A local HTTP server that speaks the OpenAI and Anthropic wire formats (no hosted LLM here).

Each test scripts the answers: a queue of (status, body, headers, delay) served in order.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def openai_reply(text: str, finish: str = "stop", tokens: tuple[int, int] = (120, 80)) -> Scripted:
    return Scripted(body={
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "finish_reason": finish}],
        "usage": {"prompt_tokens": tokens[0], "completion_tokens": tokens[1],
                  "total_tokens": sum(tokens)},
    })  # fmt: skip


def anthropic_reply(
    text: str, stop: str = "end_turn", tokens: tuple[int, int] = (100, 50)
) -> Scripted:
    return Scripted(body={
        "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
        "content": [{"type": "text", "text": text}], "stop_reason": stop, "stop_sequence": None,
        "usage": {"input_tokens": tokens[0], "output_tokens": tokens[1]},
    })  # fmt: skip


def error(status: int, message: str, **headers: str) -> Scripted:
    return Scripted(status=status, body={"error": {"message": message, "type": "error"}},
                    headers=headers)  # fmt: skip


@dataclass
class FakeProvider:
    url: str
    script: list[Scripted]
    requests: list[dict[str, Any]]


@contextmanager
def fake_provider(*answers: Scripted) -> Iterator[FakeProvider]:
    script = list(answers)
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            seen.append({"path": self.path, "body": json.loads(self.rfile.read(length) or b"{}")})
            answer = script.pop(0) if script else error(500, "script exhausted")
            time.sleep(answer.delay_s)
            payload = json.dumps(answer.body or {}).encode()
            try:
                self.send_response(answer.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeProvider(f"http://127.0.0.1:{server.server_port}", script, seen)
    finally:
        server.shutdown()
        server.server_close()
