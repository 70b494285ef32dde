"""The client against the emulator over real HTTP: chunking, retries and KMA's refusals."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from seoulcast_assets.kma.client import KmaClient, month_chunks
from seoulcast_assets.kma.errors import (
    KmaApiError,
    KmaConnectionFailed,
    KmaInvalidApi,
    KmaMalformedReply,
    KmaNotActivated,
    KmaQuotaExceeded,
    KmaServerError,
    KmaTimeout,
    KmaTruncatedReply,
    KmaUnavailable,
)
from seoulcast_assets.kma.parse import parse_asos_daily, parse_pm10
from seoulcast_assets.kma_emulator import Fault, KmaEmulator

ASOS, PM10 = "kma_sfcdd3.php", "kma_pm10.php"
JANUARY = (date(2024, 1, 1), date(2024, 1, 31))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(emulator, sleeps) -> KmaClient:
    with KmaClient(
        emulator.base_url,
        "test-key",
        timeout=1.0,
        max_attempts=3,
        backoff_seconds=0.25,
        sleep=sleeps.append,
    ) as client:
        yield client


def test_month_chunks_follow_the_calendar():
    assert month_chunks(date(2024, 1, 15), date(2024, 3, 10)) == [
        (date(2024, 1, 15), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 10)),
    ]
    assert month_chunks(date(2024, 12, 31), date(2025, 1, 1)) == [
        (date(2024, 12, 31), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 1, 1)),
    ]
    assert month_chunks(date(2024, 5, 5), date(2024, 5, 5)) == [(date(2024, 5, 5),) * 2]
    with pytest.raises(ValueError):
        month_chunks(date(2024, 5, 5), date(2024, 5, 4))


def test_a_three_month_range_is_three_requests(client, emulator):
    replies = client.asos_daily(date(2024, 1, 15), date(2024, 3, 10))

    assert emulator.request_count(ASOS) == 3
    assert [request.params for request in emulator.requests] == [
        {"tm1": "20240115", "tm2": "20240131", "stn": "108", "help": "1"},
        {"tm1": "20240201", "tm2": "20240229", "stn": "108", "help": "1"},
        {"tm1": "20240301", "tm2": "20240310", "stn": "108", "help": "1"},
    ]
    assert all(request.has_key for request in emulator.requests)
    assert [(reply.start, reply.end) for reply in replies] == month_chunks(
        date(2024, 1, 15), date(2024, 3, 10)
    )
    days = [day for reply in replies for day in parse_asos_daily(reply.text)["date"].dt.date]
    assert days[0] == date(2024, 1, 15)
    assert days[-1] == date(2024, 3, 10)
    assert len(days) == 17 + 29 + 10
    assert client.requests_sent == 3


def test_pm10_requests_cover_whole_days(client, emulator):
    replies = client.pm10(date(2024, 2, 28), date(2024, 3, 1))

    assert [request.params for request in emulator.requests] == [
        {"tm1": "202402280000", "tm2": "202402292355", "stn": "108"},
        {"tm1": "202403010000", "tm2": "202403012355", "stn": "108"},
    ]
    readings = parse_pm10(replies[0].text)
    assert readings["time"].min().strftime("%Y-%m-%d %H:%M") == "2024-02-28 00:00"
    assert readings["time"].max().strftime("%Y-%m-%d %H:%M") == "2024-02-29 23:55"


def test_server_errors_are_retried_with_backoff(client, emulator, sleeps):
    emulator.inject(Fault("server_error", times=2))

    [reply] = client.asos_daily(*JANUARY)

    assert len(parse_asos_daily(reply.text)) == 31
    assert [request.status for request in emulator.requests] == [503, 503, 200]
    assert sleeps == [0.25, 0.5]


def test_server_errors_on_every_attempt_make_kma_unavailable(client, emulator):
    emulator.inject(Fault("server_error", times=3, status=502))

    with pytest.raises(KmaUnavailable) as caught:
        client.asos_daily(*JANUARY)

    assert caught.value.attempts == 3
    assert isinstance(caught.value.last_error, KmaServerError)
    assert "after 3 attempts" in str(caught.value)
    assert "HTTP 502" in str(caught.value)
    assert "kma_sfcdd3.php 2024-01-01..2024-01-31" in str(caught.value)
    assert emulator.request_count() == 3


def test_a_reply_slower_than_the_timeout_is_retried(client, emulator, sleeps):
    emulator.inject(Fault("slow", delay_seconds=3.0))

    [reply] = client.pm10(date(2024, 1, 1), date(2024, 1, 1))

    assert len(parse_pm10(reply.text)) > 200
    assert [request.fault for request in emulator.requests] == ["slow", None]
    assert sleeps == [0.25]


def test_replies_that_stay_slow_end_in_a_timeout_error(client, emulator):
    emulator.inject(Fault("slow", times=3, delay_seconds=3.0))

    with pytest.raises(KmaUnavailable) as caught:
        client.asos_daily(*JANUARY)

    assert isinstance(caught.value.last_error, KmaTimeout)
    assert "no reply within 1.0 s" in str(caught.value)


def test_a_truncated_body_is_retried(client, emulator):
    emulator.inject(Fault("truncated", endpoint=PM10))

    [reply] = client.pm10(date(2024, 1, 1), date(2024, 1, 2))

    assert len(parse_pm10(reply.text)) > 400
    assert [request.fault for request in emulator.requests] == ["truncated", None]


def test_bodies_that_stay_truncated_end_in_an_error(client, emulator):
    emulator.inject(Fault("truncated", times=3))

    with pytest.raises(KmaUnavailable) as caught:
        client.asos_daily(*JANUARY)

    assert isinstance(caught.value.last_error, KmaTruncatedReply)
    assert "#7777END" in str(caught.value)


def test_a_dropped_connection_is_retried(client, emulator):
    emulator.inject(Fault("disconnect"))
    [reply] = client.asos_daily(*JANUARY)
    assert len(parse_asos_daily(reply.text)) == 31
    assert emulator.request_count() == 2


def test_an_api_not_applied_for_is_not_retried(client, emulator, sleeps):
    emulator.inject(Fault("not_activated", times=5))

    with pytest.raises(KmaNotActivated) as caught:
        client.asos_daily(*JANUARY)

    assert caught.value.status == 403
    assert caught.value.message == "활용신청이 필요한 API 입니다."
    assert emulator.request_count() == 1
    assert sleeps == []


def test_an_exhausted_quota_is_not_retried(client, emulator):
    emulator.inject(Fault("quota", times=5))

    with pytest.raises(KmaQuotaExceeded, match="일일 최대 호출 용량 제한"):
        client.pm10(*JANUARY)

    assert emulator.request_count() == 1


def test_an_unknown_api_is_reported_as_such(client, emulator, sleeps):
    emulator.inject(Fault("not_found"))
    with pytest.raises(KmaInvalidApi, match="유효하지 않은 API"):
        client.asos_daily(*JANUARY)

    wrong_folder = KmaClient(emulator.base_url.replace("typ01", "typ02"), sleep=sleeps.append)
    with pytest.raises(KmaInvalidApi) as caught:
        wrong_folder.asos_daily(*JANUARY)
    assert caught.value.status == 404
    assert sleeps == []


def test_a_malformed_row_is_reported_with_its_line(client, emulator):
    emulator.inject(Fault("malformed", endpoint=ASOS))

    [reply] = client.asos_daily(*JANUARY)  # well framed: nothing to retry

    with pytest.raises(KmaMalformedReply) as caught:
        parse_asos_daily(reply.text)
    lines = reply.text.splitlines()
    first_row = next(n for n, line in enumerate(lines, 1) if line and line[0] != "#")
    assert caught.value.line_number == first_row
    assert caught.value.line == lines[first_row - 1]
    assert f"line {first_row}: expected 56 fields" in str(caught.value)
    assert emulator.request_count() == 1


def test_a_fault_for_one_endpoint_leaves_the_other_alone(client, emulator):
    emulator.inject(Fault("not_activated", endpoint=PM10))
    client.asos_daily(*JANUARY)
    with pytest.raises(KmaNotActivated):
        client.pm10(*JANUARY)


def test_a_closed_port_makes_kma_unavailable(sleeps):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = KmaClient(
        f"http://127.0.0.1:{port}/api/typ01/url", max_attempts=2, sleep=sleeps.append
    )

    with pytest.raises(KmaUnavailable) as caught:
        client.asos_daily(*JANUARY)

    assert isinstance(caught.value.last_error, KmaConnectionFailed)
    assert caught.value.attempts == 2
    assert len(sleeps) == 1


def test_a_missing_key_is_refused_when_the_emulator_requires_one(emulator, sleeps):
    with KmaEmulator(emulator.source, require_key=True).running() as strict:
        with pytest.raises(KmaApiError) as caught:
            KmaClient(strict.base_url, sleep=sleeps.append).asos_daily(*JANUARY)
        assert caught.value.status == 403
        assert not isinstance(caught.value, KmaNotActivated)
        assert strict.request_count() == 1

        [reply] = KmaClient(strict.base_url, "a-key").asos_daily(*JANUARY)
        assert len(parse_asos_daily(reply.text)) == 31
