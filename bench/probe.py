"""What a page costs the user, measured in headless Chromium: websocket bytes (CDP Network
events) and long tasks (PerformanceObserver 'longtask' in every frame, the map's iframe too)."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import block_external  # noqa: E402

#: where the main page's layer files are served (layers.datastore.DATA_URL)
DATA_PATH = "/app/static/data/"

LONGTASK_JS = """
window.__longtasks = [];
try {
  new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longtasks.push(e.duration); })
    .observe({type: "longtask", buffered: true});
} catch (e) {}
"""


class Probe:
    """A fresh, network-blocked browser context with a page, counting what arrives over the websocket."""

    def __init__(self, browser, viewport=(1400, 900)):
        self.ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        block_external(self.ctx, [])
        self.ctx.add_init_script(LONGTASK_JS)
        self.page = self.ctx.new_page()
        self.ws_bytes = 0
        self.data_bytes = 0  # layer files over HTTP (/app/static/data/, as sent: gzip-compressed)
        self.data_files = 0
        self._data_requests: set[str] = set()
        cdp = self.ctx.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event) -> None:
        if DATA_PATH in event["response"]["url"]:
            self._data_requests.add(event["requestId"])

    def _finished(self, event) -> None:
        if event["requestId"] in self._data_requests:
            self._data_requests.discard(event["requestId"])
            self.data_bytes += int(event.get("encodedDataLength", 0))
            self.data_files += 1

    def _frame(self, event) -> None:
        resp = event["response"]
        data = resp.get("payloadData", "")
        # opcode 2 = binary frame, delivered base64-encoded; text frames as they are
        self.ws_bytes += len(base64.b64decode(data)) if resp.get("opcode") == 2 else len(data.encode())

    def reset(self) -> None:
        """Start a new measuring phase: zero the bytes and every frame's long-task list."""
        self.ws_bytes = self.data_bytes = self.data_files = 0
        for frame in self.page.frames:
            try:
                frame.evaluate("window.__longtasks = []")
            except Exception:  # noqa: BLE001 - a frame may be detached meanwhile
                pass

    def longest_task_ms(self) -> float:
        longest = 0.0
        for frame in self.page.frames:
            try:
                longest = max([longest, *frame.evaluate("window.__longtasks || []")])
            except Exception:  # noqa: BLE001
                pass
        return longest

    def wait_idle(self, timeout_ms: int = 120_000) -> None:
        """Until Streamlit's script has finished (the running indicator is gone)."""
        self.page.wait_for_timeout(300)
        self.page.wait_for_function(
            "() => { const e = document.querySelector('[data-test-script-state]');"
            " return e && !['running', 'rerunRequested'].includes(e.getAttribute('data-test-script-state')); }",
            timeout=timeout_ms)

    def close(self) -> None:
        self.ctx.close()
