#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    # manage.py is the developer's and operator's tool: without a SECRET_KEY it may use the development key.
    # Serving (trygg/wsgi.py, trygg/asgi.py) never does: production refuses to start without a real key.
    os.environ.setdefault("TRYGG_DEV", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
