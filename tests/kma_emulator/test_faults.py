"""Faults on request: in-process and over the HTTP control endpoint."""

from __future__ import annotations

import json
import time

import pytest
import requests

from seoulcast_assets.kma_emulator import EmulatorControl, Fault, KmaEmulator
from tests.kma_emulator.conftest import data_rows, get

ASOS, PM10 = "kma_sfcdd3.php", "kma_pm10.php"
MONTH = {"tm1": "20240101", "tm2": "20240131"}
DAY_OF_READINGS = {"tm1": "202401010000", "tm2": "202401012355"}
NOT_ACTIVATED = '{"result":{"status":403,"message":"활용신청이 필요한 API 입니다."}}'
QUOTA = '{"result":{"status":403,"message":"일일 최대 호출 용량 제한으로 사용할 수 없습니다."}}'


def test_server_error(emulator):
    emulator.inject(Fault("server_error", status=502))
    response = get(emulator, ASOS, **MONTH)
    assert response.status_code == 502
    assert b"#START7777" not in response.content


def test_truncated_body_is_200_without_the_end_marker(emulator):
    whole = get(emulator, PM10, **DAY_OF_READINGS).content
    emulator.inject(Fault("truncated"))
    cut = get(emulator, PM10, **DAY_OF_READINGS)

    assert cut.status_code == 200
    assert b"#7777END" not in cut.content
    assert whole.startswith(cut.content)
    assert len(cut.content) < len(whole)


@pytest.mark.parametrize(("kind", "body"), [("not_activated", NOT_ACTIVATED), ("quota", QUOTA)])
def test_kmas_403_bodies_verbatim(emulator, kind, body):
    emulator.inject(Fault(kind))
    response = get(emulator, ASOS, **MONTH)
    assert response.status_code == 403
    assert response.content.decode("utf-8") == body


def test_not_found(emulator):
    emulator.inject(Fault("not_found"))
    response = get(emulator, PM10, **DAY_OF_READINGS)
    assert response.status_code == 404
    assert json.loads(response.content)["result"]["message"] == "유효하지 않은 API 입니다."


def test_malformed_breaks_the_first_row_only(emulator):
    good = data_rows(get(emulator, ASOS, **MONTH))
    emulator.inject(Fault("malformed"))
    broken = data_rows(get(emulator, ASOS, **MONTH))

    assert len(broken[0].split()) < 56
    assert good[0].startswith(broken[0])
    assert broken[1:] == good[1:]


def test_slow_waits_before_answering(emulator):
    emulator.inject(Fault("slow", delay_seconds=0.6))
    started = time.perf_counter()
    response = get(emulator, ASOS, **MONTH)
    assert time.perf_counter() - started >= 0.6
    assert response.status_code == 200


def test_disconnect_closes_without_an_answer(emulator):
    emulator.inject(Fault("disconnect"))
    with pytest.raises(requests.ConnectionError):
        get(emulator, ASOS, **MONTH)
    assert emulator.requests[-1].status == 0


def test_a_fault_applies_to_the_next_n_matching_requests(emulator):
    emulator.inject(Fault("server_error", times=2, endpoint=PM10))
    emulator.inject(Fault("quota"))

    statuses = [
        get(emulator, ASOS, **MONTH).status_code,  # the PM10 fault does not match: quota does
        get(emulator, PM10, **DAY_OF_READINGS).status_code,
        get(emulator, PM10, **DAY_OF_READINGS).status_code,
        get(emulator, PM10, **DAY_OF_READINGS).status_code,
        get(emulator, ASOS, **MONTH).status_code,
    ]

    assert statuses == [403, 503, 503, 200, 200]
    faults = [request.fault for request in emulator.requests]
    assert faults == ["quota", "server_error", "server_error", None, None]
    assert emulator.pending_faults() == []


def test_faults_are_validated():
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault("explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Fault("server_error", status=200)
    with pytest.raises(ValueError):
        Fault("quota", times=0)


def test_the_control_endpoint_drives_faults_and_lists_requests(emulator):
    control = EmulatorControl(emulator.base_url)
    assert control.healthy()

    control.inject(Fault("not_activated", times=1, endpoint=ASOS))
    assert get(emulator, ASOS, authKey="k", **MONTH).status_code == 403
    assert get(emulator, ASOS, **MONTH).status_code == 200

    listed = control.requests()
    assert [(r["endpoint"], r["status"], r["fault"], r["has_key"]) for r in listed] == [
        (ASOS, 403, "not_activated", True),
        (ASOS, 200, None, False),
    ]
    assert all("authKey" not in r["params"] for r in listed)
    assert control.request_count(ASOS) == 2

    control.inject(Fault("server_error", times=5))
    control.clear_faults()
    control.clear_requests()
    assert get(emulator, ASOS, **MONTH).status_code == 200
    assert control.request_count() == 1


def test_the_control_endpoint_rejects_unknown_faults(emulator):
    response = requests.post(f"{emulator.control_url}/faults", json={"kind": "explode"}, timeout=5)
    assert response.status_code == 400
    assert "unknown fault kind" in response.json()["error"]


def test_require_key_refuses_requests_without_one(weather):
    with KmaEmulator(weather, require_key=True).running() as strict:
        refused = get(strict, ASOS, **MONTH)
        assert refused.status_code == 403
        assert json.loads(refused.content)["result"]["status"] == 403
        assert get(strict, ASOS, authKey="anything", **MONTH).status_code == 200
