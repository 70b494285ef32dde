"""The built page in headless Chromium, served by the API from a SeaweedFS store.

Checks that the numbers on screen are the API's, that Hangul renders, that the page fits a
phone, and leaves screenshots in .seoulcast/screenshots/ for a person to look at.
"""

from __future__ import annotations

import math
import shutil
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
from tests.frontend.build import build_frontend, npm_run
from tests.support.seaweedfs import S3Server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".seoulcast" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
GRADE_KO = {"good": "좋음", "moderate": "보통", "bad": "나쁨", "very_bad": "매우나쁨"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def temperature(value: float) -> str:
    return f"{value:.1f}°C"


def degrees(value: float) -> str:
    return f"{value:.1f}°"


def pm10(value: float) -> str:
    return str(math.floor(value + 0.5))  # JavaScript's Math.round


def interval(band: dict, write) -> str:
    """An 80% interval as the page writes it: p10 ~ p90."""
    return f"{write(band['p10'])} ~ {write(band['p90'])}"


@pytest.fixture(scope="module")
def dist() -> Path:
    return build_frontend()


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


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("[data-testid=value-ta_avg]", timeout=15_000)
    page.wait_for_selector("[data-testid=history-chart] svg", timeout=15_000)
    return page, errors


def text(page, test_id: str) -> str:
    return page.get_by_test_id(test_id).first.inner_text().strip()


def check_numbers_match_the_api(page, data: dict) -> None:
    tomorrow = str(today_kst() + timedelta(days=1))
    day = next(entry for entry in data["forecast"]["days"] if entry["date"] == tomorrow)
    assert page.get_by_test_id("selected-day").get_attribute("data-date") == tomorrow
    for target in ("ta_avg", "ta_max", "ta_min"):
        assert text(page, f"value-{target}") == temperature(day[target]["p50"])
        assert text(page, f"interval-{target}") == interval(day[target], degrees)
    assert text(page, "value-pm10_avg") == pm10(day["pm10_avg"]["p50"])
    assert text(page, "interval-pm10_avg") == interval(day["pm10_avg"], pm10)

    for entry in data["forecast"]["days"]:
        tile = page.get_by_test_id(f"outlook-{entry['date']}")
        assert tile.get_by_test_id("outlook-max").inner_text() == degrees(entry["ta_max"]["p50"])
        assert tile.get_by_test_id("outlook-min").inner_text() == degrees(entry["ta_min"]["p50"])

    card = data["model"]
    assert text(page, "model-version") == f"{card['name']} v{card['version']}"
    lstm_d1 = next(row for row in card["backtest"]
                   if (row["model"], row["target"], row["horizon"]) == ("lstm", "ta_max", 1))
    assert text(page, "mae-lstm-ta_max") == f"{lstm_d1['mae']:.2f}"
    recent = next(score for score in data["verification"]["scores"]
                  if (score["target"], score["lead_days"]) == ("pm10_avg", 1))
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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "page-desktop.png", full_page=True)
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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "page-phone.png", full_page=True)
    assert errors == []
    page.close()


def test_language_toggle_switches_to_english(browser, page_url: str, api_data: dict):
    page, _ = open_page(browser, page_url, DESKTOP)
    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    body = page.locator("body").inner_text()
    assert "Tomorrow" in body and "7-day outlook" in body and "Model accuracy" in body
    check_numbers_match_the_api(page, api_data)
    page.screenshot(path=SCREENSHOTS / "page-desktop-en.png", full_page=True)
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
