"""The API's connection to the object store: short timeouts, and a breaker in front of it.

The pipeline's S3 client retries patiently (a batch job can wait); a web request cannot. The API
opens the same store with a one-second connect and read timeout and no retries of its own, and
reaches it only through :class:`GuardedStore`, whose circuit breaker stops calling a store that
keeps failing. Retrying is the cache's job: it revalidates in the background and serves its
last good copy meanwhile (cache.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlparse

from seoulcast_api.breaker import CircuitBreaker
from seoulcast_assets.storage import ObjectInfo, ObjectStore, StorageUnavailable, open_store

CONNECT_TIMEOUT_S = 1.0
READ_TIMEOUT_S = 1.0

log = logging.getLogger("seoulcast_api.store")

T = TypeVar("T")


def open_api_store(storage_url: str, endpoint_url: str | None) -> ObjectStore:
    """The store for reading; a local folder that does not exist is left missing (an outage,
    answered with 503s), never created empty."""
    if urlparse(storage_url).scheme != "s3":
        return open_store(storage_url, create=False)
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        config=Config(
            connect_timeout=CONNECT_TIMEOUT_S,
            read_timeout=READ_TIMEOUT_S,
            retries={"total_max_attempts": 1, "mode": "standard"},
            max_pool_connections=32,
        ),
    )
    return open_store(storage_url, s3_client=client)


class GuardedStore:
    """The reads the API makes (``head``, ``get``), through a circuit breaker.

    While the breaker is open a call raises :class:`StorageUnavailable` at once. A missing
    object is an answer, not a failure. What went wrong is logged here, with the store's
    address; callers and clients only learn that the store is unavailable.
    """

    def __init__(self, store: ObjectStore, breaker: CircuitBreaker | None = None):
        self.store = store
        self.breaker = breaker or CircuitBreaker()
        self.url = store.url

    @property
    def available(self) -> bool:
        """False while the breaker is open: the store failed recently and is being left alone."""
        return self.breaker.closed

    def head(self, key: str) -> ObjectInfo:
        return self._call(self.store.head, key)

    def get(self, key: str) -> bytes:
        return self._call(self.store.get, key)

    def _call(self, operation: Callable[[str], T], key: str) -> T:
        if not self.breaker.allow():
            raise StorageUnavailable("the object store failed recently; not asking it again yet")
        try:
            result = operation(key)
        except (StorageUnavailable, OSError) as error:  # OSError: a local folder unreadable
            self.breaker.record_failure()
            log.warning("object store %s failed on %s: %s", self.url, key, error)
            if isinstance(error, StorageUnavailable):
                raise
            raise StorageUnavailable(f"{type(error).__name__} reading {key}") from error
        except BaseException:
            self.breaker.record_success()  # the store answered (e.g. "no such key")
            raise
        self.breaker.record_success()
        return result
