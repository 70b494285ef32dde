"""Object storage for SeoulCast: a local folder or an S3 bucket behind one small interface.

Every write is atomic (a local write goes to a temporary file that is renamed into place; an S3
write is a single PUT) and idempotent (writing the bytes an object already holds changes nothing,
not even its modification time). Keys are plain ``/``-separated strings such as
``raw/asos/date=2024-03/2024-03-01.txt``; see :mod:`seoulcast_assets.layout`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

TMP_SUFFIX = ".seoulcast-tmp"
S3_CONCURRENCY = 10  # botocore keeps 10 connections per client by default


class ObjectNotFound(KeyError):
    """The key does not exist in the store."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else "object not found"


class StorageUnavailable(RuntimeError):
    """The store could not be reached or refused the request."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    etag: str
    size: int
    last_modified: datetime


class ObjectStore(Protocol):
    """What SeoulCast needs from object storage."""

    url: str

    def put(self, key: str, data: bytes, content_type: str = ...) -> bool:
        """Store ``data`` at ``key``; return False when the object already held exactly it."""

    def get(self, key: str) -> bytes: ...

    def head(self, key: str) -> ObjectInfo: ...

    def exists(self, key: str) -> bool: ...

    def list_keys(self, prefix: str) -> list[str]: ...

    def put_many(self, objects: Mapping[str, bytes], content_type: str = ...) -> int:
        """Store several objects; return how many actually changed."""

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        """Fetch several objects; keys that do not exist are left out of the result."""


def content_etag(data: bytes) -> str:
    """The ETag S3 gives a single-part object: the hex MD5 of its bytes."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


class LocalObjectStore:
    """Objects as files under a root folder; the key is the relative path."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).expanduser().resolve()
        self.url = self.root.as_uri()
        self._root = str(self.root)
        self._root_prefix = self._root + os.sep

    def _path(self, key: str) -> str:
        path = os.path.normpath(os.path.join(self._root, key))
        if not path.startswith(self._root_prefix):
            raise ValueError(f"key {key!r} escapes the store root")
        return path

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> bool:
        path = self._path(key)
        try:
            with open(path, "rb") as existing:
                if existing.read() == data:
                    return False
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        # a unique name beside the target, so concurrent writers never share a temporary file
        tmp_name = f"{path}.{os.getpid()}-{threading.get_ident()}{TMP_SUFFIX}"
        try:
            fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        return True

    def get(self, key: str) -> bytes:
        try:
            with open(self._path(key), "rb") as stored:
                return stored.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFound(key) from None

    def head(self, key: str) -> ObjectInfo:
        try:
            stat = os.stat(self._path(key))
        except (FileNotFoundError, NotADirectoryError):
            raise ObjectNotFound(key) from None
        return ObjectInfo(
            key=key,
            etag=f"{stat.st_mtime_ns:x}-{stat.st_size:x}",
            size=stat.st_size,
            last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
        )

    def exists(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def list_keys(self, prefix: str) -> list[str]:
        folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        base = self._path(folder) if folder else self._root
        keys = []
        start = len(self._root) + 1
        for directory, _, files in os.walk(base):
            relative = directory[start:].replace(os.sep, "/")
            for name in files:
                if name.endswith(TMP_SUFFIX):
                    continue
                key = f"{relative}/{name}" if relative else name
                if key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    def put_many(self, objects: Mapping[str, bytes], content_type: str = "text/plain") -> int:
        return sum(self.put(key, data, content_type) for key, data in objects.items())

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        found = {}
        for key in keys:
            try:
                found[key] = self.get(key)
            except ObjectNotFound:
                continue
        return found


class S3ObjectStore:
    """Objects in an S3 bucket (AWS, MinIO, SeaweedFS) under an optional key prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str = ""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in {"NoSuchKey", "404", "NotFound"}:
                raise ObjectNotFound(kwargs.get("Key", "")) from None
            message = f"S3 {operation} on {self.url} failed: {code or error}"
            raise StorageUnavailable(message) from None
        except BotoCoreError as error:
            raise StorageUnavailable(f"S3 {operation} on {self.url} failed: {error}") from None

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> bool:
        etag = content_etag(data)
        try:
            if self.head(key).etag == etag:
                return False
        except ObjectNotFound:
            pass
        self._call("put_object", Key=self._key(key), Body=data, ContentType=content_type)
        return True

    def get(self, key: str) -> bytes:
        return self._call("get_object", Key=self._key(key))["Body"].read()

    def head(self, key: str) -> ObjectInfo:
        reply = self._call("head_object", Key=self._key(key))
        return ObjectInfo(
            key=key,
            etag=reply["ETag"].strip('"'),
            size=reply["ContentLength"],
            last_modified=reply["LastModified"],
        )

    def exists(self, key: str) -> bool:
        try:
            self.head(key)
        except ObjectNotFound:
            return False
        return True

    def list_keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        strip = len(self.prefix) + 1 if self.prefix else 0
        kwargs: dict[str, Any] = {"Prefix": self._key(prefix)}
        while True:
            page = self._call("list_objects_v2", **kwargs)
            keys.extend(item["Key"][strip:] for item in page.get("Contents", []))
            if not page.get("IsTruncated"):
                return sorted(keys)
            kwargs["ContinuationToken"] = page["NextContinuationToken"]

    def put_many(self, objects: Mapping[str, bytes], content_type: str = "text/plain") -> int:
        with ThreadPoolExecutor(S3_CONCURRENCY) as pool:
            changed = pool.map(
                lambda item: self.put(item[0], item[1], content_type), objects.items()
            )
            return sum(changed)

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        def fetch(key: str) -> tuple[str, bytes | None]:
            try:
                return key, self.get(key)
            except ObjectNotFound:
                return key, None

        with ThreadPoolExecutor(S3_CONCURRENCY) as pool:
            return {key: data for key, data in pool.map(fetch, list(keys)) if data is not None}


def make_s3_client(endpoint_url: str | None = None, **client_kwargs: Any) -> Any:
    """A boto3 S3 client; credentials and region come from the usual AWS environment."""
    import boto3
    from botocore.config import Config

    config = Config(
        max_pool_connections=S3_CONCURRENCY,
        retries={"max_attempts": 5, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
    )
    client_kwargs.setdefault("region_name", os.environ.get("AWS_REGION", "us-east-1"))
    return boto3.client("s3", endpoint_url=endpoint_url or None, config=config, **client_kwargs)


def open_store(url: str, *, s3_client: Any = None, endpoint_url: str | None = None) -> ObjectStore:
    """Open ``file:///path``, a plain path, or ``s3://bucket/prefix``."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError(f"storage URL {url!r} names no bucket (expected s3://bucket/prefix)")
        client = s3_client or make_s3_client(endpoint_url)
        return S3ObjectStore(client, parsed.netloc, parsed.path)
    if parsed.scheme == "file":
        return LocalObjectStore(parsed.path)
    if parsed.scheme == "":
        return LocalObjectStore(url)
    raise ValueError(f"unsupported storage URL {url!r}: use file:///path or s3://bucket/prefix")
