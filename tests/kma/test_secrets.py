"""The API key never shows up in logs, exceptions, their chains, reprs or stored replies."""

from __future__ import annotations

import logging
import socket
import traceback
from datetime import date

import pytest
import requests

from seoulcast_assets.kma.client import KmaClient
from seoulcast_assets.kma.errors import KmaError
from seoulcast_assets.kma.parse import parse_asos_daily, split_reply_by_day
from seoulcast_assets.kma_emulator import FAULT_KINDS, Fault
from seoulcast_assets.secrets import redact

KEY = "SeoulKey-7f3a9c2e/b+x="  # has characters that URL encoding changes
JANUARY = (date(2024, 1, 1), date(2024, 1, 31))


def key_forms() -> list[str]:
    return [KEY, requests.utils.quote(KEY, safe=""), KEY.replace("/", "%2F").replace("+", "%2B")]


def assert_no_key(text: str, where: str) -> None:
    for form in key_forms():
        assert form not in text, f"the key appears in {where}: {text[:300]!r}"


def assert_exception_is_clean(error: BaseException) -> None:
    """The exception, everything chained to it, and its printed traceback hold no key."""
    seen = error
    while seen is not None:
        assert not isinstance(seen, requests.RequestException), "a requests error is chained"
        assert_no_key(str(seen), "an exception message")
        assert_no_key(repr(seen), "an exception repr")
        assert_no_key(repr(seen.args), "exception args")
        assert_no_key(repr(vars(seen)), "exception attributes")
        seen = seen.__cause__ or seen.__context__
    assert_no_key("".join(traceback.format_exception(error)), "a formatted traceback")


@pytest.fixture
def debug_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def make_client(base_url: str, **options) -> KmaClient:
    return KmaClient(base_url, KEY, timeout=1.0, max_attempts=2, sleep=lambda _: None, **options)


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_no_failure_reveals_the_key(kind, emulator, debug_logs):
    emulator.inject(Fault(kind, times=2, delay_seconds=3.0))
    client = make_client(emulator.base_url)

    try:
        for reply in client.asos_daily(*JANUARY):
            parse_asos_daily(reply.body)
    except KmaError as error:
        assert_exception_is_clean(error)
    else:
        pytest.fail(f"the {kind} fault raised nothing")

    assert all(request.has_key for request in emulator.requests)  # the key was really sent
    assert_no_key(debug_logs.text, "the log")
    assert_no_key(repr(client), "the client's repr")


def test_a_successful_fetch_keeps_the_key_out_of_logs_and_stored_bytes(emulator, debug_logs):
    client = make_client(emulator.base_url)
    replies = client.pm10(date(2024, 1, 1), date(2024, 1, 2))

    assert "authKey=***" in debug_logs.text  # urllib3 logged the request line, redacted
    assert_no_key(debug_logs.text, "the log")
    for reply in replies:
        assert_no_key(repr(reply), "a reply's repr")
        for body in split_reply_by_day(reply).values():
            assert_no_key(body.decode("euc_kr"), "a stored day")


def test_an_unreachable_server_does_not_reveal_the_key(debug_logs):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}/api/typ01/url")

    with pytest.raises(KmaError) as caught:
        client.asos_daily(*JANUARY)

    assert "Max retries exceeded" in str(caught.value)  # the requests message, redacted
    assert_exception_is_clean(caught.value)
    assert_no_key(debug_logs.text, "the log")


def test_an_invalid_url_does_not_reveal_the_key(debug_logs):
    client = make_client("http://[not-a-host/api")
    with pytest.raises(KmaError) as caught:
        client.asos_daily(*JANUARY)
    assert_exception_is_clean(caught.value)
    assert_no_key(debug_logs.text, "the log")


def test_a_reply_that_echoes_the_key_is_stored_without_it(debug_logs):
    body = f"#START7777\n# request: ?authKey={KEY}&tm1=20240101 key {KEY}\n#7777END\n".encode()

    class EchoingSession:
        def get(self, url, params, timeout):
            response = requests.Response()
            response.status_code, response._content = 200, body
            return response

    client = make_client("http://kma.invalid/api/typ01/url", session=EchoingSession())
    [reply] = client.asos_daily(date(2024, 1, 1), date(2024, 1, 1))

    assert_no_key(reply.body.decode(), "the stored body")
    assert_no_key(reply.text, "the reply text")
    assert "the reply contained the API key" in debug_logs.text


def test_third_party_loggers_are_redacted_including_tracebacks(debug_logs):
    KmaClient("http://127.0.0.1:9/api/typ01/url", KEY)  # registers the key
    pool_logger = logging.getLogger("urllib3.connectionpool")
    pool_logger.debug(
        '%s "GET /api/typ01/url/kma_pm10.php?tm1=1&authKey=%s HTTP/1.1" 200', "x", KEY
    )
    try:
        raise RuntimeError(f"failed: {KEY}")
    except RuntimeError:
        pool_logger.exception("request failed")

    assert "authKey=***" in debug_logs.text
    assert_no_key(debug_logs.text, "the log")
    formatted = logging.Formatter().format(debug_logs.records[-1])
    assert "RuntimeError: failed: ***" in formatted


def test_redact_covers_the_parameter_whatever_its_value():
    assert redact("GET /x?tm1=1&authKey=abc123&stn=108") == "GET /x?tm1=1&authKey=***&stn=108"
    assert redact("url: /x?AUTHKEY=zz") == "url: /x?AUTHKEY=***"
