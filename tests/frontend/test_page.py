"""The built page in headless Chromium, served by the API from a SeaweedFS store.

Checks that the numbers on screen are the API's, that Hangul renders, that the page fits a
phone, and leaves screenshots in .seoulcast/screenshots/ for a person to look at.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from seoulcast_api.app import create_app
from seoulcast_api.settings import ApiSettings
from seoulcast_assets.kst import today_kst
from seoulcast_assets.storage import S3ObjectStore
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import serve
from tests.frontend.build import npm_run
from tests.frontend.conftest import DESKTOP, PHONE, screenshot
from tests.frontend.conftest import open_page as open_loaded_page
from tests.support.seaweedfs import S3Server

pytestmark = pytest.mark.slow

GRADE_KO = {"good": "좋음", "moderate": "보통", "bad": "나쁨", "very_bad": "매우나쁨"}
RANGE_LABEL = {"ko": "80% 범위", "en": "80% range"}


def temperature(value: float) -> str:
    return f"{value:.1f}°C"


def degrees(value: float) -> str:
    return f"{value:.1f}°"


def pm10(value: float) -> str:
    return str(math.floor(value + 0.5))  # JavaScript's Math.round


def interval(band: dict, unit: str, lang: str) -> str:
    """An 80% range as the page writes it: "80% range 1.8–8.4 °C" (spaced dash if negative)."""
    if unit == "°C":
        low, high = f"{band['p10']:.1f}", f"{band['p90']:.1f}"
    else:
        low, high = pm10(band["p10"]), pm10(band["p90"])
    dash = " – " if low.startswith("-") or high.startswith("-") else "–"
    return f"{RANGE_LABEL[lang]} {low}{dash}{high} {unit}"


@pytest.fixture(scope="module")
def page_url(dist: Path, s3_server: S3Server) -> Iterator[str]:
    bucket = f"seoulcast-page-{uuid.uuid4().hex[:8]}"
    s3_server.create_bucket(bucket)
    store = S3ObjectStore(s3_server.client(), bucket, "seoulcast")
    write_sample_store(store, today_kst())
    settings = ApiSettings(storage_url=store.url, frontend_dist=dist)
    with serve(create_app(settings, store=store)) as url:
        yield url


@pytest.fixture(scope="module")
def api_data(page_url: str) -> dict:
    with httpx.Client(base_url=page_url) as client:
        return {
            "forecast": client.get("/api/v1/forecasts/latest").json(),
            "model": client.get("/api/v1/model").json(),
            "verification": client.get("/api/v1/verification", params={"days": 30}).json(),
        }


def open_page(browser, url: str, viewport: dict):
    page = open_loaded_page(browser, url, viewport)
    return page, page.errors


def text(page, test_id: str) -> str:
    return page.get_by_test_id(test_id).first.inner_text().strip()


def check_numbers_match_the_api(page, data: dict, lang: str = "ko") -> None:
    tomorrow = str(today_kst() + timedelta(days=1))
    day = next(entry for entry in data["forecast"]["days"] if entry["date"] == tomorrow)
    assert page.get_by_test_id("selected-day").get_attribute("data-date") == tomorrow
    for target in ("ta_avg", "ta_max", "ta_min"):
        assert text(page, f"value-{target}") == temperature(day[target]["p50"])
        assert text(page, f"interval-{target}") == interval(day[target], "°C", lang)
    assert text(page, "value-pm10_avg") == pm10(day["pm10_avg"]["p50"])
    assert text(page, "interval-pm10_avg") == interval(day["pm10_avg"], "µg/m³", lang)

    for entry in data["forecast"]["days"]:
        tile = page.get_by_test_id(f"outlook-{entry['date']}")
        assert tile.get_by_test_id("outlook-max").inner_text() == degrees(entry["ta_max"]["p50"])
        assert tile.get_by_test_id("outlook-min").inner_text() == degrees(entry["ta_min"]["p50"])

    card = data["model"]
    assert text(page, "model-version") == f"{card['name']} v{card['version']}"
    lstm_d1 = next(
        row
        for row in card["backtest"]
        if (row["model"], row["target"], row["lead_days"]) == ("lstm", "ta_max", 1)
    )
    assert text(page, "mae-lstm-ta_max") == f"{lstm_d1['mae']:.2f}"
    recent = next(
        score
        for score in data["verification"]["scores"]
        if (score["target"], score["lead_days"]) == ("pm10_avg", 1)
    )
    assert text(page, "recent-mae-pm10_avg") == f"{recent['mae']:.1f}"


def test_desktop_page_shows_the_api_numbers_in_korean(browser, page_url: str, api_data: dict):
    page, errors = open_page(browser, page_url, DESKTOP)
    check_numbers_match_the_api(page, api_data)
    tomorrow = str(today_kst() + timedelta(days=1))
    day = next(entry for entry in api_data["forecast"]["days"] if entry["date"] == tomorrow)
    assert text(page, "grade-label") == GRADE_KO[day["pm10_grade"]]
    body = page.locator("body").inner_text()
    assert "내일" in body and "미세먼지" in body and "7일 예보" in body
    assert page.evaluate("document.documentElement.lang") == "ko"
    screenshot(page, "page-desktop.png")
    assert errors == []
    page.close()


def test_phone_page_fits_the_screen(browser, page_url: str, api_data: dict):
    page, errors = open_page(browser, page_url, PHONE)
    check_numbers_match_the_api(page, api_data)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cards = page.locator(".card").all()
    assert len(cards) == 2
    first, second = (card.bounding_box() for card in cards)
    assert second["y"] >= first["y"] + first["height"]  # stacked, not squeezed side by side
    assert first["width"] <= PHONE["width"]
    screenshot(page, "page-phone.png")
    assert errors == []
    page.close()


def test_language_toggle_switches_to_english(browser, page_url: str, api_data: dict):
    page, _ = open_page(browser, page_url, DESKTOP)
    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    body = page.locator("body").inner_text()
    assert "Tomorrow" in body and "7-day outlook" in body and "Model accuracy" in body
    check_numbers_match_the_api(page, api_data, "en")
    screenshot(page, "page-desktop-en.png")
    page.close()


def test_choosing_a_day_in_the_outlook_shows_it_in_the_cards(browser, page_url: str, api_data):
    page, _ = open_page(browser, page_url, DESKTOP)
    last = api_data["forecast"]["days"][-1]
    page.get_by_test_id(f"outlook-{last['date']}").click()
    assert page.get_by_test_id("selected-day").get_attribute("data-date") == last["date"]
    assert text(page, "value-ta_avg") == temperature(last["ta_avg"]["p50"])
    assert text(page, "value-pm10_avg") == pm10(last["pm10_avg"]["p50"])
    page.close()


def test_generated_api_types_are_current(dist: Path):
    result = npm_run("api:check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_frontend_unit_tests_pass(dist: Path):
    result = npm_run("test")
    assert result.returncode == 0, result.stdout + result.stderr
