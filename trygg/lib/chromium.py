"""How Trygg's tooling starts a browser: Debian's chromium (a test tool's own browser download cannot work
on these machines) with the flags of a headless run. Used by the browser tests (trygg/conftest.py) and the
documentation screenshots (docs/screens/make_screens.py); no Django imports, so scripts can use it too."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
