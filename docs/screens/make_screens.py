"""Screenshots of Trygg's main pages for the docs: `docs/screens/<page>-<desktop|phone>.png`.

Starts the app on the demo data in a temporary SQLite database (migrate, load_demo, runserver), logs in as
the coordinator `samordnare` with Playwright and Debian's chromium (the flags of the browser tests) and
photographs the first screen of each page at 1366×900 (desktop) and 390×844 (phone). The public "Tyck till"
pages are taken without logging in.

    .venv/bin/python docs/screens/make_screens.py            # all pages
    .venv/bin/python docs/screens/make_screens.py start plan # some of them

Only the visible screen is taken (not the whole page) and the PNGs are written with a small palette when
Pillow is installed, so they stay small in the repository.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from trygg.lib.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - after the path is set

PYTHON = sys.executable
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
USER = "samordnare"
PASSWORD = "trygg-demo"  # noqa: S105 - the demo's published password, local demo data only
PAGES = {  # name -> path
    "start": "/",
    "plan": "/planer/trygg-i-kungalv/",
    "uppfoljning": "/planer/trygg-i-kungalv/uppfoljning/2023/",
    "statistik": "/statistik/",
    "lagesbild": "/lagesbild/",
    "vandringar": "/vandringar/",
    "tycktill": "/tycktill/",
}
PUBLIC = {"tycktill"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"the server did not start on port {port}")


def _shrink(path: Path) -> None:
    """A 256-colour palette: screenshots of flat UI lose nothing visible and get 2–4 times smaller."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/logga-in/")
    page.get_by_label("Användarnamn").fill(USER)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)


def _shoot(browser, base: str, names: list[str]) -> list[Path]:
    written = []
    for viewport, (width, height) in VIEWPORTS.items():
        for public in (False, True):
            todo = [n for n in names if (n in PUBLIC) == public]
            if not todo:
                continue
            context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(60000)
            if not public:
                _log_in(page, base)
            for name in todo:
                page.goto(base + PAGES[name])
                page.wait_for_load_state("load")
                if name == "lagesbild":  # the map has drawn its layers (tiles may be offline)
                    page.locator("#situation-map[data-loaded], #map-status:not(:empty)").first.wait_for()
                page.wait_for_timeout(400)
                path = OUT / f"{name}-{viewport}.png"
                page.screenshot(path=str(path))
                _shrink(path)
                written.append(path)
                print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} kB")
            context.close()
    return written


def main(argv: list[str]) -> int:
    names = argv or list(PAGES)
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        print(f"unknown page(s): {', '.join(unknown)}; choose from {', '.join(PAGES)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="trygg-screens-") as tmp:
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": "",
        }
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)  # noqa: S603 - our own manage.py
        subprocess.run(  # noqa: S603 - our own manage.py
            [*manage, "load_demo", "-v0"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    _shoot(browser, f"http://127.0.0.1:{port}", names)
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
