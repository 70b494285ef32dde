"""The API's connection to the object store.

The pipeline's S3 client retries patiently (a batch job can wait); a web request cannot, so the
API opens the same store with short timeouts and a single retry, letting an outage surface in
about a second as a 503 or a stale cached copy instead of a hung request.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from seoulcast_assets.storage import ObjectStore, open_store

CONNECT_TIMEOUT_S = 1.0
READ_TIMEOUT_S = 5.0


def open_api_store(storage_url: str, endpoint_url: str | None) -> ObjectStore:
    if urlparse(storage_url).scheme != "s3":
        return open_store(storage_url)
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        config=Config(
            connect_timeout=CONNECT_TIMEOUT_S,
            read_timeout=READ_TIMEOUT_S,
            retries={"max_attempts": 2, "mode": "standard"},
            max_pool_connections=32,
        ),
    )
    return open_store(storage_url, s3_client=client)
