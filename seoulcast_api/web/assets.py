"""The page's built assets, with the brotli and gzip copies the build writes beside them.

``npm run build`` writes ``name.br`` and ``name.gz`` next to every script and stylesheet under
``dist/assets/`` (frontend/build/precompress.ts), compressed once at the highest levels; here
each request gets the smallest copy its ``Accept-Encoding`` allows, with no compression work
per request. Files are read once and kept in memory: they are a few hundred kilobytes.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from seoulcast_api.encodings import choose_encoding

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Content-Encoding token and the suffix of the build's copy.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".map": "application/json"}


@dataclass(frozen=True, slots=True)
class Asset:
    media_type: str
    copies: dict[str, bytes]  # by Content-Encoding; "identity" is the file itself

    def for_encodings(self, accept_encoding: str) -> tuple[str, bytes]:
        """The encoding to send and its bytes: the smallest copy the client accepts."""
        encoding = choose_encoding(accept_encoding, self.copies)
        return encoding, self.copies[encoding]


class AssetFolder:
    """The files of one folder by name (no subfolders), loaded on first request."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._loaded: dict[str, Asset] = {}
        self._guard = threading.Lock()

    def find(self, name: str) -> Asset | None:
        asset = self._loaded.get(name)
        if asset is not None:
            return asset
        if not NAME.fullmatch(name) or name.endswith(tuple(s for _, s in ENCODINGS)):
            return None
        path = self.folder / name
        if not path.is_file():
            return None  # misses are not remembered: a client could make up endless names
        copies = {"identity": path.read_bytes()}
        for encoding, suffix in ENCODINGS:
            compressed = path.with_name(name + suffix)
            if compressed.is_file():
                copies[encoding] = compressed.read_bytes()
        media_type = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(name)[0]
        asset = Asset(media_type or "application/octet-stream", copies)
        with self._guard:
            self._loaded[name] = asset
        return asset
