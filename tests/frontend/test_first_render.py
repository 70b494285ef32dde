"""How fast the page shows its data in Chromium on localhost, and how much script it costs.

Targets (issue 19): the first render with data within 1.0 s, and the script the browser
receives, compressed, within 200 KB. Each load is a fresh browser context, so nothing comes
from the browser's cache.
"""

from __future__ import annotations

import statistics

import pytest

from tests.frontend.conftest import DESKTOP

pytestmark = pytest.mark.slow

LOADS = 3
FIRST_RENDER_LIMIT_MS = 1000
SCRIPT_LIMIT_BYTES = 200_000

# Records when the forecast's first number appears, from the start of navigation.
WATCH_FOR_DATA = """
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-testid=value-ta_avg]')) {
    window.__firstData = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""

SCRIPTS_RECEIVED = """
performance.getEntriesByType('resource')
  .filter(entry => entry.name.endsWith('.js'))
  .map(entry => [entry.name, entry.encodedBodySize, entry.decodedBodySize])
"""


def test_first_render_with_data_and_script_size(browser, page_server):
    url = page_server()
    times, scripts = [], []
    for _ in range(LOADS):
        context = browser.new_context(viewport=DESKTOP)
        context.add_init_script(WATCH_FOR_DATA)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("[data-testid=history-chart] svg", timeout=15_000)
        times.append(page.evaluate("window.__firstData"))
        scripts = page.evaluate(SCRIPTS_RECEIVED)
        context.close()
    received = sum(encoded for _, encoded, _ in scripts)
    unpacked = sum(decoded for _, _, decoded in scripts)
    print(
        f"\nfirst render with data: {', '.join(f'{t:.0f}' for t in times)} ms; scripts "
        f"received {received:,} B ({unpacked:,} B unpacked) in {len(scripts)} files"
    )
    assert statistics.median(times) <= FIRST_RENDER_LIMIT_MS
    assert received <= SCRIPT_LIMIT_BYTES
