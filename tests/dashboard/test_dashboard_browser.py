"""The county leader opens the dashboard in Debian's Chromium, sees the heatmap drawn and drills into a cell."""

from __future__ import annotations

from tests.live import BROWSER, SCREENSHOTS, close_pages, demo_login, signed_in_page

PASSWORD = "Dashboard-2020"

pytestmark = BROWSER


def test_the_county_leader_reads_the_heatmap_and_drills_into_a_cell(chromium, live_server, transactional_db):
    demo_login("county-leader", PASSWORD)
    try:
        page, errors = signed_in_page(chromium, live_server.url, "county-leader", PASSWORD)
        assert "清源县" in page.inner_text("h1")
        heatmap = page.locator("#chart-heatmap")
        heatmap.locator("canvas, svg").first.wait_for()
        for key in ("ranking", "trend", "reporting"):
            page.locator(f"#chart-{key} canvas, #chart-{key} svg").first.wait_for()
        page.screenshot(path=str(SCREENSHOTS / "dashboard-zh.png"), full_page=True)
        assert errors == [], errors  # no CSP refusal, no script error
        # the pixel centre of the first unit's cell in the first area, from the chart's own axes
        x, y = page.evaluate(
            """() => {
                const chart = echarts.getInstanceByDom(document.getElementById('chart-heatmap'));
                return chart.convertToPixel({seriesIndex: 0}, [0, 0]);
            }"""
        )
        box = heatmap.bounding_box()
        with page.expect_navigation():
            page.mouse.click(box["x"] + x, box["y"] + y)
        # the first column is the county's first organisation (cppcc), the first row its first area
        assert "/rules/" in page.url and "unit=cppcc" in page.url and "period=2020" in page.url
        assert "县政协机关" in page.content()
    finally:
        close_pages(chromium)
