"""A real HTTP proxy in front of a KMA(-compatible) server that can corrupt its replies.

With ``sentinel_storm`` on, every value of every data line after TM and STN becomes KMA's
missing-value code ``-99.0`` (what a KMA fault looks like in a reply that is otherwise
well-formed: framing, dates and stations intact).
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CorruptingProxy:
    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.sentinel_storm = False
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with urllib.request.urlopen(proxy.upstream + self.path, timeout=30) as reply:
                    body, headers = reply.read(), dict(reply.headers)
                if proxy.sentinel_storm:
                    body = storm(body)
                self.send_response(200)
                for name in ("Content-Type", "X-SeoulCast-Source"):
                    if name in headers:
                        self.send_header(name, headers[name])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[CorruptingProxy]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def storm(body: bytes) -> bytes:
    """Every value after TM and STN of every data line replaced by -99.0."""
    lines = []
    for line in body.split(b"\n"):
        if line and not line.startswith(b"#"):
            separator = b"," if b"," in line else None
            fields = line.split(separator)
            trailing_comma = separator == b"," and fields[-1].strip() == b""
            values = fields[2:-1] if trailing_comma else fields[2:]
            line = (separator or b" ").join(
                [*fields[:2], *([b"-99.0"] * len(values)), *([b""] if trailing_comma else [])]
            )
        lines.append(line)
    return b"\n".join(lines)
