"""The object store behaves the same on a local folder and on a real S3 server."""

from __future__ import annotations

import shutil
import threading

import pytest

from seoulcast_assets.storage import (
    LocalObjectStore,
    ObjectNotFound,
    S3ObjectStore,
    StorageUnavailable,
    content_etag,
    make_s3_client,
    open_store,
)


@pytest.fixture(params=["local", "s3"])
def store(request, local_store, s3_server, s3_bucket):
    if request.param == "local":
        return local_store
    return S3ObjectStore(s3_server.client(), s3_bucket, "prefix/inner")


def test_put_get_round_trip(store):
    assert store.put("raw/asos/date=2024-03/2024-03-01.txt", b"\xbc\xad\xbf\xef") is True
    assert store.get("raw/asos/date=2024-03/2024-03-01.txt") == b"\xbc\xad\xbf\xef"
    assert store.exists("raw/asos/date=2024-03/2024-03-01.txt")
    assert not store.exists("raw/asos/date=2024-03/2024-03-02.txt")


def test_rewriting_identical_bytes_changes_nothing(store):
    key = "forecast/latest.json"
    assert store.put(key, b'{"a": 1}') is True
    before = store.head(key)
    assert store.put(key, b'{"a": 1}') is False
    assert store.head(key) == before
    assert store.put(key, b'{"a": 2}') is True
    assert store.get(key) == b'{"a": 2}'


def test_missing_key_raises_object_not_found(store):
    with pytest.raises(ObjectNotFound):
        store.get("result/pm10/date=2024-01/2024-01-01.csv")
    with pytest.raises(ObjectNotFound):
        store.head("result/pm10/date=2024-01/2024-01-01.csv")


def test_list_keys_by_prefix_and_many(store):
    objects = {
        f"raw/pm10/date=2024-0{m}/2024-0{m}-0{d}.csv": f"{m}{d}".encode()
        for m in (1, 2)
        for d in (1, 2, 3)
    }
    assert store.put_many(objects) == 6
    assert store.put_many(objects) == 0
    assert store.list_keys("raw/pm10/date=2024-02/") == sorted(k for k in objects if "2024-02" in k)
    assert store.list_keys("raw/pm10/date=2024") == sorted(objects)
    assert store.list_keys("raw/asos/") == []
    got = store.get_many([*objects, "raw/pm10/date=2030-01/2030-01-01.csv"])
    assert got == objects


def test_local_write_is_atomic_under_concurrent_readers(tmp_path):
    """A reader never sees a half-written object: it sees the old bytes or the new ones."""
    store = LocalObjectStore(tmp_path)
    old, new = b"o" * 2_000_000, b"n" * 2_000_000
    store.put("big.bin", old)
    seen = set()
    stop = threading.Event()

    def read():
        while not stop.is_set():
            seen.add(store.get("big.bin")[::100_000])

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(20):
        store.put("big.bin", new)
        store.put("big.bin", old)
    stop.set()
    reader.join()
    assert seen <= {old[::100_000], new[::100_000]}
    assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]  # no temporary files left


def test_local_keys_cannot_escape_the_root(tmp_path):
    with pytest.raises(ValueError):
        LocalObjectStore(tmp_path / "store").put("../outside.txt", b"x")


def test_s3_etag_is_content_md5(s3_store):
    s3_store.put("a.txt", b"hello")
    assert s3_store.head("a.txt").etag == content_etag(b"hello")


def test_unreachable_s3_is_reported_as_unavailable():
    client = make_s3_client("http://127.0.0.1:9", aws_access_key_id="x", aws_secret_access_key="y")
    store = S3ObjectStore(client, "bucket")
    with pytest.raises(StorageUnavailable, match="s3://bucket"):
        store.get("anything")


def test_open_store_understands_urls(tmp_path, s3_server):
    assert isinstance(open_store(tmp_path.as_uri()), LocalObjectStore)
    assert isinstance(open_store(str(tmp_path)), LocalObjectStore)
    s3 = open_store("s3://bucket/some/prefix", s3_client=s3_server.client())
    assert isinstance(s3, S3ObjectStore) and s3.prefix == "some/prefix"
    with pytest.raises(ValueError, match="no bucket"):
        open_store("s3:///x")
    with pytest.raises(ValueError, match="unsupported"):
        open_store("ftp://host/x")


def test_a_vanished_local_store_is_an_outage_not_an_empty_store(tmp_path):
    root = tmp_path / "store"
    store = LocalObjectStore(root)
    store.put("forecast/latest.json", b"{}")
    shutil.rmtree(root)
    for read in (
        lambda: store.get("forecast/latest.json"),
        lambda: store.head("forecast/latest.json"),
        lambda: store.exists("forecast/latest.json"),
        lambda: store.list_keys("forecast/"),
        lambda: store.get_many(["forecast/latest.json"]),
        lambda: store.put("forecast/latest.json", b"{}"),
        lambda: store.update("forecast/latest.json", lambda old: b"{}"),
    ):
        with pytest.raises(StorageUnavailable, match="folder is gone"):
            read()
    assert not root.exists()  # nothing silently recreated it


def test_a_reader_does_not_create_a_missing_local_store(tmp_path):
    reader = open_store((tmp_path / "never-made").as_uri(), create=False)
    with pytest.raises(StorageUnavailable):
        reader.get("forecast/latest.json")
    assert not (tmp_path / "never-made").exists()
    writer = open_store((tmp_path / "never-made").as_uri())
    with pytest.raises(ObjectNotFound):
        writer.get("forecast/latest.json")  # the pipeline's store starts out empty


def _appending(line: bytes, rendezvous: threading.Barrier | None = None):
    """An update that appends ``line``; the first call waits (briefly) for the other writer,
    so both read the object before either writes: the interleaving that loses a write."""
    calls = []

    def change(current: bytes | None) -> bytes:
        if rendezvous is not None and not calls:
            try:
                rendezvous.wait(timeout=1.0)
            except threading.BrokenBarrierError:
                pass  # the other writer is waiting for our lock: go on alone
        calls.append(1)
        return (current or b"") + line

    return change


def test_update_keeps_both_of_two_interleaved_writers(store):
    key = "result/daily/year=2024.csv"
    store.put(key, b"header\n")
    rendezvous = threading.Barrier(2)
    writers = [
        threading.Thread(target=store.update, args=(key, _appending(line, rendezvous)))
        for line in (b"2024-01-01\n", b"2024-12-31\n")
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    lines = store.get(key).splitlines()
    assert lines[0] == b"header" and sorted(lines[1:]) == [b"2024-01-01", b"2024-12-31"]


def test_update_under_contention_loses_nothing(store):
    key = "result/daily/year=2025.csv"

    def write_many(writer: int) -> None:
        for n in range(15):
            store.update(key, _appending(f"{writer}-{n}\n".encode()))

    threads = [threading.Thread(target=write_many, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(store.get(key).splitlines()) == sorted(
        f"{w}-{n}".encode() for w in range(6) for n in range(15)
    )
    assert store.list_keys("result/daily/") == [key]  # the lock file is not an object


def test_update_that_changes_nothing_writes_nothing(store):
    key = "result/daily/year=2026.csv"
    assert store.update(key, lambda current: b"rows\n") is True
    before = store.head(key)
    assert store.update(key, lambda current: current) is False
    assert store.head(key) == before
