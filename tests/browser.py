"""Helpers for real-browser tests: a Streamlit server and a network-blocked Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    pid: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def app_server(script: str = "app.py", timeout: float = 60.0, env_extra: dict | None = None):
    """Run a Streamlit script on a free loopback port; always stopped on exit.

    Server output goes to a temp file (a pipe nobody reads could fill and stall it).
    """
    port = free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           **(env_extra or {})}
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
            server = Server(f"http://127.0.0.1:{port}", proc.pid, log_path)
            try:
                _wait_healthy(proc, server, timeout)
                yield server
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _wait_healthy(proc, server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(server.log())
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not start on {server.url}")


@contextlib.contextmanager
def streamlit_server(script: str = "app.py", timeout: float = 60.0):
    """The URL of a running app server (see :func:`app_server`)."""
    with app_server(script, timeout) as server:
        yield server.url


def is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.") or url.startswith(("data:", "blob:", "about:"))


def block_external(context, blocked: list[str]) -> None:
    """Abort every request that leaves the machine, recording it."""

    def handler(route):
        if is_loopback(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", handler)


def map_frame(page, timeout_ms: int = 90_000):  # a loaded CI machine: an upper bound, not a target
    """The streamlit-folium iframe holding the Leaflet map."""
    page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=timeout_ms)
    frame = page.frame_locator("iframe[title*='streamlit_folium']").first
    frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    return frame
