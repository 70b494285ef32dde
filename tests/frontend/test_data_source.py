"""The page says where its observations come from, and shows nothing it does not have.

Under the emulator's synthetic weather it says "synthetic demo data" before any number and
the footer does not claim KMA; under KMA observations it shows no such notice. On a fresh
deployment (one forecast, nothing scored yet) there is no empty "Last 0 days" column and no
legend entry for a D+1 line that is not drawn.
"""

from __future__ import annotations

import pytest

from tests.frontend.conftest import DESKTOP, PHONE, open_page, screenshot

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_synthetic_data_is_said_plainly(browser, page_server, viewport: dict):
    page = open_page(browser, page_server(source="emulator-synthetic") + "/?lang=en", viewport)
    notice = page.get_by_test_id("synthetic-notice")
    assert notice.is_visible()
    assert "Synthetic demo data" in notice.inner_text()
    notice_box = notice.bounding_box()
    assert notice_box["y"] < page.get_by_test_id("value-ta_avg").bounding_box()["y"]
    footer = page.get_by_test_id("data-source").inner_text()
    assert "synthetic" in footer and "ASOS" not in footer
    page.get_by_test_id("lang-toggle").click()
    assert "합성 데모 데이터" in page.get_by_test_id("synthetic-notice").inner_text()
    screenshot(page, f"page-synthetic-{viewport['width']}.png")
    page.close()


def test_kma_observations_get_no_notice_and_a_kma_footer(browser, page_server):
    page = open_page(browser, page_server(source="kma") + "/?lang=en", DESKTOP)
    assert page.get_by_test_id("synthetic-notice").count() == 0
    assert "synthetic" not in page.locator("body").inner_text().lower()
    assert (
        "KMA surface observations (ASOS, Seoul 108)"
        in page.get_by_test_id("data-source").inner_text()
    )
    page.close()


def test_an_unrecorded_source_is_not_claimed_to_be_kma(browser, page_server):
    page = open_page(browser, page_server() + "/?lang=en", DESKTOP)
    footer = page.get_by_test_id("data-source").inner_text()
    assert "ASOS" not in footer and "does not say" in footer
    page.close()


def test_a_fresh_deployment_shows_no_empty_column_and_no_undrawn_line(browser, page_server):
    page = open_page(browser, page_server(source="kma", history_days=1) + "/?lang=en", DESKTOP)
    table = page.get_by_test_id("accuracy-table").inner_text()
    assert "Last 0 days" not in table and "Last" not in table
    assert "No forecast has been scored yet" in page.get_by_test_id("no-recent-scores").inner_text()
    legend = page.locator(".recharts-legend-wrapper").inner_text()
    assert "D+1" not in legend
    assert "Observed" in legend and "Week ahead" in legend
    assert page.get_by_test_id("history-chart").get_attribute("data-drawn") == "observed outlook"
    screenshot(page, "page-fresh-deployment.png")
    page.close()


def test_with_scored_forecasts_the_d1_line_and_recent_column_are_there(browser, page_server):
    page = open_page(browser, page_server(source="kma") + "/?lang=en", DESKTOP)
    assert "D+1 forecast" in page.locator(".recharts-legend-wrapper").inner_text()
    assert "Last 30 days" in page.get_by_test_id("accuracy-table").inner_text()
    assert page.get_by_test_id("no-recent-scores").count() == 0
    page.close()


def test_the_served_model_is_named_by_its_family(browser, page_server):
    """A model card of a GRU (the family the sweep chose): its column says so, not LSTM."""

    def served_by_a_gru(card: dict) -> None:
        card["family"] = "gru"
        card["config"] = "gru(hidden_size=64)"
        for row in card["backtest"]:
            if row["model"] == "lstm":
                row["model"] = "gru"

    page = open_page(browser, page_server(edit_card=served_by_a_gru) + "/?lang=en", DESKTOP)
    table = page.get_by_test_id("accuracy-table")
    assert "SeoulCast (GRU)" in table.inner_text()
    assert "LSTM" not in table.inner_text()
    assert page.get_by_test_id("mae-gru-ta_max").inner_text() != "–"
    assert page.get_by_test_id("mae-lstm-ta_max").count() == 0
    page.close()
