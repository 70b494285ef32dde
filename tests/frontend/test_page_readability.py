"""What a reader sees in Chromium: grade badges with enough contrast, 80% ranges that say what
they are, and a phone layout where the accuracy table and the chart tabs fit."""

from __future__ import annotations

import re

import pytest

from tests.frontend.conftest import DESKTOP, PHONE, open_page, screenshot

pytestmark = pytest.mark.slow

GRADES = ("good", "moderate", "bad", "very_bad")
GRADE_MEANS = {"good": 18.0, "moderate": 55.0, "bad": 120.0, "very_bad": 190.0}
WCAG_LARGE_TEXT = 3.0
WCAG_TEXT = 4.5


def rgb(css: str) -> tuple[float, float, float]:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css)[:3])
    return red, green, blue


def luminance(color: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in color)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(rgb(foreground)), luminance(rgb(background))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colours(locator) -> tuple[str, str]:
    return locator.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )


def every_grade(document: dict) -> None:
    """The week ahead holds each PM10 grade at least once."""
    for index, day in enumerate(document["days"]):
        grade = GRADES[index % len(GRADES)]
        mean = GRADE_MEANS[grade]
        day["pm10_grade"] = grade
        day["pm10_avg"] = {"p10": round(mean * 0.6, 1), "p50": mean, "p90": round(mean * 1.5, 1)}


@pytest.fixture(scope="module")
def graded_url(page_server) -> str:
    return page_server(edit=every_grade)


def test_grade_badges_and_labels_pass_wcag_contrast(browser, graded_url: str):
    page = open_page(browser, graded_url, DESKTOP)
    seen = set()
    for tile in page.locator("[data-testid^=outlook-2]").all():
        tile.click()
        card = page.locator(".pm10-card")
        grade = card.get_attribute("data-grade")
        seen.add(grade)
        text, badge = colours(page.get_by_test_id("grade-label"))
        assert contrast(text, badge) >= WCAG_TEXT, (grade, text, badge)  # large text needs 3
        number, _ = colours(page.get_by_test_id("value-pm10_avg"))
        _, tint = colours(card)
        assert contrast(number, tint) >= WCAG_LARGE_TEXT, (grade, number, tint)
        label, _ = colours(tile.get_by_test_id("outlook-grade"))
        _, tile_background = colours(tile)
        assert contrast(label, tile_background) >= WCAG_TEXT, (grade, label, tile_background)
    assert seen == set(GRADES)
    screenshot(page, "page-grades.png")
    assert page.errors == []
    page.close()


@pytest.mark.parametrize(("query", "label"), [("", "80% 범위"), ("?lang=en", "80% range")])
def test_every_range_says_it_is_an_80_percent_range(browser, page_server, query, label):
    page = open_page(browser, page_server() + "/" + query, DESKTOP, chart=False)
    unit = {"ta_avg": "°C", "ta_max": "°C", "ta_min": "°C", "pm10_avg": "µg/m³"}
    for target, symbol in unit.items():
        written = page.get_by_test_id(f"interval-{target}").inner_text().strip()
        assert re.fullmatch(rf"{label} -?\d+(\.\d)?( – |–)-?\d+(\.\d)? {symbol}", written), written
    cards = page.locator(".cards").inner_text()
    assert "~" not in cards  # the old "1.8° ~ 8.4°" beside High and Low read as a low~high span
    page.close()


@pytest.mark.parametrize("query", ["", "?lang=en"])
def test_on_a_phone_every_accuracy_column_and_tab_fits(browser, page_server, query: str):
    page = open_page(browser, page_server() + "/" + query, PHONE)
    width = PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    cells = page.locator("[data-testid=accuracy-table] td").all()
    assert len(cells) == 4 * 6  # four targets: the live error and five backtests each
    for cell in cells:
        box = cell.bounding_box()
        assert box is not None and cell.is_visible()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, cell.get_attribute("data-testid")
        heading = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert heading not in {"", "none", '""'}, cell.get_attribute("data-testid")
    tabs = [tab.bounding_box() for tab in page.get_by_role("tab").all()]
    assert len(tabs) == 4
    assert len({round(tab["y"]) for tab in tabs}) == 1  # one row: the PM10 tab does not wrap
    assert max(tab["height"] for tab in tabs) - min(tab["height"] for tab in tabs) < 1
    assert all(tab["x"] + tab["width"] <= width for tab in tabs)
    screenshot(page, f"page-phone{query.replace('?lang=', '-')}.png")
    assert page.errors == []
    page.close()
