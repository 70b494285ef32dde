"""Fixtures for the browser tests: the built page, Debian's Chromium, and stores to serve."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from seoulcast_api.app import create_app
from seoulcast_api.settings import ApiSettings
from seoulcast_assets.kst import today_kst
from seoulcast_assets.layout import CHAMPION_MODEL_KEY
from seoulcast_assets.storage import LocalObjectStore
from tests.api.contract_objects import (
    encode,
    forecast_document,
    model_card,
    write_forecast,
    write_sample_store,
)
from tests.api.http_server import serve
from tests.frontend.build import build_frontend

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".seoulcast" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def dist() -> Path:
    return build_frontend()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_server(dist: Path, tmp_path_factory) -> Iterator[Callable[..., str]]:
    """``serve_store(source=…, history_days=…, edit=…, edit_card=…)``: a local store written as
    the pipeline leaves it (``edit`` may change the latest forecast document first, ``edit_card``
    the model card), served with the page; returns the URL. Servers stop when the module ends."""
    with ExitStack() as servers:

        def serve_store(
            source: str | None = None,
            history_days: int = 45,
            edit: Callable[[dict], None] | None = None,
            edit_card: Callable[[dict], None] | None = None,
        ) -> str:
            folder = tmp_path_factory.mktemp("store")
            store = LocalObjectStore(folder)
            write_sample_store(store, today_kst(), history_days=history_days)
            latest = forecast_document(today_kst())
            if source is not None or edit_card is not None:
                card = model_card()
                if source is not None:
                    latest["inputs"]["source"] = source
                    card["observations_source"] = source
                if edit_card is not None:
                    edit_card(card)
                store.put(CHAMPION_MODEL_KEY, encode(card), "application/json")
            if edit is not None:
                edit(latest)
            write_forecast(store, latest)
            settings = ApiSettings(storage_url=store.url, frontend_dist=dist)
            return servers.enter_context(serve(create_app(settings, store=store)))

        yield serve_store


def open_page(browser, url: str, viewport: dict, *, chart: bool = True):
    """The page loaded with its data (and its chart, unless ``chart`` is False)."""
    page = browser.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("[data-testid=value-ta_avg]", timeout=15_000)
    if chart:
        page.wait_for_selector("[data-testid=history-chart] svg", timeout=15_000)
    page.errors = errors
    return page


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)
