"""``python -m seoulcast_api``: serve the API, or write its OpenAPI schema.

    python -m seoulcast_api [serve] [--host 127.0.0.1] [--port 8000] [--workers 1]
    python -m seoulcast_api openapi frontend/openapi.json

``serve`` runs the app under Granian (ASGI, uvloop): its Rust HTTP layer keeps the 99th
percentile latency of a cached forecast at a few milliseconds where uvicorn's was tens
(bench/api_latency.py). The schema file is what the page's TypeScript types are generated from
(``npm run api:types``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

COMMANDS = ("serve", "openapi")


def openapi_document() -> dict:
    """The API's OpenAPI schema; it does not depend on settings or on the store's contents."""
    from seoulcast_api.app import create_app
    from seoulcast_api.settings import ApiSettings

    app = create_app(ApiSettings(storage_url="file:///nonexistent-seoulcast-store"))
    return app.openapi_schema.to_schema()


def render_openapi() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in {"-h", "--help"}:
        argv.insert(0, "serve")
    parser = argparse.ArgumentParser(
        prog="python -m seoulcast_api",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API with Granian")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (one per core)")
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    schema = commands.add_parser("openapi", help="write the OpenAPI schema as JSON")
    schema.add_argument("output", type=Path, nargs="?", help="file to write (default: stdout)")
    args = parser.parse_args(argv)

    if args.command == "openapi":
        text = render_openapi()
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return

    serve_app(args.host, args.port, args.workers, args.log_level)


def serve_app(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve ``create_app()`` until SIGINT/SIGTERM; each worker builds its own app from the env."""
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels
    from granian.server import Server

    Server(
        "seoulcast_api.app:create_app",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        loop=Loops.uvloop,
        workers=workers,
        log_level=LogLevels(log_level),
    ).serve()


if __name__ == "__main__":
    main()
