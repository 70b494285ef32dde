"""A local stand-in for the Slack Web API: records what the real slack_sdk client sends."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class SlackCall:
    method: str  # e.g. "chat.postMessage"
    token: str
    payload: dict


@dataclass
class SlackRecorder:
    base_url: str = ""
    calls: list[SlackCall] = field(default_factory=list)
    fail_with: str | None = None  # answer {"ok": false, "error": ...} when set
    echo_authorization: bool = False  # a failing answer also quotes the Authorization header

    def messages(self) -> list[str]:
        return [
            call.payload.get("text", "") for call in self.calls if call.method == "chat.postMessage"
        ]


@contextmanager
def slack_recorder() -> Iterator[SlackRecorder]:
    recorder = SlackRecorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if "json" in self.headers.get("Content-Type", ""):
                payload = json.loads(body or b"{}")
            else:
                payload = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            method = self.path.strip("/").removeprefix("api/")
            recorder.calls.append(SlackCall(method, token, payload))
            if recorder.fail_with:
                answer = {"ok": False, "error": recorder.fail_with}
                if recorder.echo_authorization:
                    answer["request_headers"] = {"Authorization": self.headers["Authorization"]}
            else:
                answer = {"ok": True, "channel": payload.get("channel"), "ts": "1700000000.0001"}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorder.base_url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
