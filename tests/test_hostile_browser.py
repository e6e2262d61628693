"""User and URL text never becomes markup, in a real browser: a phishing link or a tracking
beacon in ``?q=`` shows as literal text — no link rendered, no request made."""

from urllib.parse import quote, urlparse

import pytest

pytestmark = pytest.mark.browser

PHISHING = "[Session expired - log in](https://evil.example/login)"
BEACON = "![x](http://host.example/beacon.png)"
AUTOLINK = "www.evil.example <https://evil.example/x> $x^2$ :red[alarm]"


@pytest.mark.parametrize("value", [PHISHING, BEACON, AUTOLINK], ids=["phishing", "beacon", "autolink"])
def test_query_text_is_shown_literally(server, page, artifacts_dir, value):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{server}/?q={quote(value)}", wait_until="domcontentloaded")
    notice = page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").first
    notice.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # give an image beacon time to fire, were there one
    text = notice.inner_text().replace("\u2060", "")  # the invisible joiner that breaks autolinks
    assert value.split("(")[0].strip("!") in text  # the user's text is there, as text
    assert notice.locator("a").count() == 0 and notice.locator("img").count() == 0
    assert page.locator("a[href*='evil.example'], img[src*='host.example']").count() == 0
    assert not [u for u in requested if urlparse(u).hostname in ("evil.example", "host.example")], requested
    notice.screenshot(path=str(artifacts_dir / f"hostile_q_{value[:3].strip('![') or 'x'}.png"))
