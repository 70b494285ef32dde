"""Object storage for SeoulCast: a local folder or an S3 bucket behind one small interface.

Every write is atomic (a local write goes to a temporary file that is renamed into place; an S3
write is a single PUT) and idempotent (writing the bytes an object already holds changes nothing,
not even its modification time). Keys are plain ``/``-separated strings such as
``raw/asos/date=2024-03/2024-03-01.txt``; see :mod:`seoulcast_assets.layout`.

An object that several writers merge into (a year table that overlapping cleaning runs extend)
is written with :meth:`ObjectStore.update`: a read-modify-write that never loses another
writer's change. A local store holds an exclusive lock on the key for the whole update; S3 puts
conditionally (``If-Match`` on the ETag read, ``If-None-Match: *`` for a new object) and starts
over when another writer got there first. AWS S3, MinIO and SeaweedFS honour both headers.

A store that cannot be reached, or whose local folder has gone, raises
:class:`StorageUnavailable`; a write that fails (a full disk, a refused PUT) raises
:class:`StorageWriteFailed`, naming the object and the store. Only a key that is truly absent
from a reachable store is :class:`ObjectNotFound`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

TMP_SUFFIX = ".seoulcast-tmp"
LOCK_SUFFIX = ".seoulcast-lock"
HIDDEN_SUFFIXES = (TMP_SUFFIX, LOCK_SUFFIX)
S3_CONCURRENCY = 10  # botocore keeps 10 connections per client by default
UPDATE_ATTEMPTS = 20  # conditional S3 writes lost to other writers before giving up

Change = Callable[[bytes | None], bytes]
"""What :meth:`ObjectStore.update` does to an object: its current bytes (None when it does not
exist yet) in, the new bytes out. It may be called more than once, so it must not have side
effects."""


class ObjectNotFound(KeyError):
    """The key does not exist in the store."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else "object not found"


class StorageUnavailable(RuntimeError):
    """The store could not be reached or refused the request."""


class StorageWriteFailed(StorageUnavailable):
    """An object could not be written (disk full, permission, a refused PUT); names the object
    and the store. Nothing of that object was changed."""


class WriteConflict(StorageUnavailable):
    """Other writers kept changing an object while :meth:`ObjectStore.update` tried to."""


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

    def update(self, key: str, change: Change, content_type: str = ...) -> bool:
        """Replace the object with ``change(current bytes or None)`` without losing a
        concurrent writer's update; return False when ``change`` left it as it was."""


def content_etag(data: bytes) -> str:
    """The ETag S3 gives a single-part object: the hex MD5 of its bytes."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


class LocalObjectStore:
    """Objects as files under a root folder; the key is the relative path.

    ``create`` makes the root folder if it does not exist (the pipeline's store); without it
    (the API's), a missing root is an outage, not an empty store. Either way, once open, a root
    that disappears makes every call raise :class:`StorageUnavailable`.
    """

    def __init__(self, root: str | os.PathLike[str], *, create: bool = True):
        self.root = Path(root).expanduser().resolve()
        self.url = self.root.as_uri()
        self._root = str(self.root)
        self._root_prefix = self._root + os.sep
        if create:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageWriteFailed(f"cannot create the store {self.url}: {error}") from None

    def _path(self, key: str) -> str:
        path = os.path.normpath(os.path.join(self._root, key))
        if not path.startswith(self._root_prefix):
            raise ValueError(f"key {key!r} escapes the store root")
        return path

    def _require_root(self) -> None:
        if not os.path.isdir(self._root):
            raise StorageUnavailable(f"the store {self.url} is unavailable: its folder is gone")

    def _not_found(self, key: str) -> ObjectNotFound:
        self._require_root()  # a missing object in a missing store is an outage
        return ObjectNotFound(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> bool:
        path = self._path(key)
        try:
            with open(path, "rb") as existing:
                if existing.read() == data:
                    return False
        except (FileNotFoundError, NotADirectoryError):
            self._require_root()
        self._write(key, path, data)
        return True

    def _write(self, key: str, path: str, data: bytes) -> None:
        # a unique name beside the target, so concurrent writers never share a temporary file
        tmp_name = f"{path}.{os.getpid()}-{threading.get_ident()}{TMP_SUFFIX}"
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
            os.replace(tmp_name, path)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise StorageWriteFailed(
                f"could not write {key} ({len(data):,} bytes) to the store {self.url}: "
                f"{error.strerror or error} (errno {error.errno})"
            ) from error
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise

    def get(self, key: str) -> bytes:
        try:
            with open(self._path(key), "rb") as stored:
                return stored.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise self._not_found(key) from None

    def head(self, key: str) -> ObjectInfo:
        try:
            stat = os.stat(self._path(key))
        except (FileNotFoundError, NotADirectoryError):
            raise self._not_found(key) from None
        return ObjectInfo(
            key=key,
            etag=f"{stat.st_mtime_ns:x}-{stat.st_size:x}",
            size=stat.st_size,
            last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
        )

    def exists(self, key: str) -> bool:
        if os.path.isfile(self._path(key)):
            return True
        self._require_root()
        return False

    def list_keys(self, prefix: str) -> list[str]:
        self._require_root()
        folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        base = self._path(folder) if folder else self._root
        keys = []
        start = len(self._root) + 1
        for directory, _, files in os.walk(base):
            relative = directory[start:].replace(os.sep, "/")
            for name in files:
                if name.endswith(HIDDEN_SUFFIXES):
                    continue
                key = f"{relative}/{name}" if relative else name
                if key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    def put_many(self, objects: Mapping[str, bytes], content_type: str = "text/plain") -> int:
        return sum(self.put(key, data, content_type) for key, data in objects.items())

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        self._require_root()
        found = {}
        for key in keys:
            try:
                with open(self._path(key), "rb") as stored:
                    found[key] = stored.read()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                continue
        if not found:
            self._require_root()  # the folder may have gone while reading
        return found

    def update(
        self, key: str, change: Change, content_type: str = "application/octet-stream"
    ) -> bool:
        """Under an exclusive lock on ``key`` (a ``flock`` on a hidden file beside it, held by
        every process and thread updating that key), read, change and write atomically."""
        path = self._path(key)
        self._require_root()
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            lock = os.open(path + LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StorageWriteFailed(
                f"could not lock {key} in the store {self.url}: {error.strerror or error}"
            ) from error
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with open(path, "rb") as stored:
                    current: bytes | None = stored.read()
            except FileNotFoundError:
                current = None
            data = change(current)
            if data == current:
                return False
            self._write(key, path, data)
            return True
        finally:
            os.close(lock)  # closing the descriptor releases the lock


class S3ObjectStore:
    """Objects in an S3 bucket (AWS, MinIO, SeaweedFS) under an optional key prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str = ""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, operation: str, key: str | None = None, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        if key is not None:
            kwargs["Key"] = self._key(key)
        failed = StorageWriteFailed if operation == "put_object" else StorageUnavailable
        what = f"S3 {operation} of {key}" if key is not None else f"S3 {operation}"
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in {"NoSuchKey", "404", "NotFound"}:
                raise ObjectNotFound(key or "") from None
            if code in _CONDITION_FAILED:
                raise _PreconditionFailed(key) from None
            raise failed(f"{what} on {self.url} failed: {code or error}") from None
        except BotoCoreError as error:
            raise failed(f"{what} on {self.url} failed: {error}") from None

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> bool:
        etag = content_etag(data)
        try:
            if self.head(key).etag == etag:
                return False
        except ObjectNotFound:
            pass
        self._call("put_object", key, Body=data, ContentType=content_type)
        return True

    def update(
        self, key: str, change: Change, content_type: str = "application/octet-stream"
    ) -> bool:
        """Read with the ETag, change, and put only if the object is still that version
        (``If-Match``; ``If-None-Match: *`` when it did not exist); start over otherwise."""
        for attempt in range(UPDATE_ATTEMPTS):
            try:
                reply = self._call("get_object", key)
                current: bytes | None = reply["Body"].read()
                condition = {"IfMatch": reply["ETag"]}
            except ObjectNotFound:
                current, condition = None, {"IfNoneMatch": "*"}
            data = change(current)
            if data == current:
                return False
            try:
                self._call("put_object", key, Body=data, ContentType=content_type, **condition)
                return True
            except _PreconditionFailed:
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # another writer won
        raise WriteConflict(
            f"{key} in {self.url} kept changing under {UPDATE_ATTEMPTS} conditional writes"
        )

    def get(self, key: str) -> bytes:
        return self._call("get_object", key)["Body"].read()

    def head(self, key: str) -> ObjectInfo:
        reply = self._call("head_object", key)
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


_CONDITION_FAILED = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}


class _PreconditionFailed(Exception):
    """A conditional PUT lost to another writer (HTTP 412, or 409 while one was in flight)."""


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


def open_store(
    url: str, *, s3_client: Any = None, endpoint_url: str | None = None, create: bool = True
) -> ObjectStore:
    """Open ``file:///path``, a plain path, or ``s3://bucket/prefix``.

    ``create=False`` (readers such as the API) leaves a missing local folder missing, so it
    reads as an outage rather than as an empty store."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError(f"storage URL {url!r} names no bucket (expected s3://bucket/prefix)")
        client = s3_client or make_s3_client(endpoint_url)
        return S3ObjectStore(client, parsed.netloc, parsed.path)
    if parsed.scheme == "file":
        return LocalObjectStore(parsed.path, create=create)
    if parsed.scheme == "":
        return LocalObjectStore(url, create=create)
    raise ValueError(f"unsupported storage URL {url!r}: use file:///path or s3://bucket/prefix")
