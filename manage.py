#!/usr/bin/env python
import os
import sys


def _development_defaults(environ: dict) -> None:
    """A developer's machine (neither SECRET_KEY nor DEBUG set): development mode, with the development key.

    Anything else is an operator's environment and gets no defaults: with DEBUG off, the real SECRET_KEY is
    required (trygg/settings.py refuses to start without one), so ``DEBUG=0 manage.py runserver`` can never
    run on the public development key. TRYGG_DEV (which allows that key) is dropped when DEBUG is off.
    """
    debug_off = environ.get("DEBUG", "").lower() in {"0", "false", "no", "off"}
    if debug_off:
        environ.pop("TRYGG_DEV", None)
    elif "SECRET_KEY" not in environ and "DEBUG" not in environ:
        environ["DEBUG"] = "1"
        environ["TRYGG_DEV"] = "1"


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    _development_defaults(os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
