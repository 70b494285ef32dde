"""``HEAD`` on every ``GET`` route: the same status and headers, no body.

Uptime checks and link checkers send HEAD. Litestar routes it only to handlers declared for it,
so the app's ASGI handler is wrapped: a HEAD request is routed as a GET, and what the GET would
send is passed on without its body (``Content-Length`` still says how long the body would be).
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def answer_head_as_get(app: ASGIApp) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await app({**scope, "method": "GET"}, receive, headers_only)  # type: ignore[arg-type]

    return handle
