"""The API's URLs with what every endpoint shares, around django-ninja's views:

- a rate limit per client (the token, else a salted hash of the address) counted in the shared Django cache
  (Redis in production, so every web process counts together): TRYGG_API_RATE_LIMIT requests per minute
  without a token, TRYGG_API_TOKEN_RATE_LIMIT with one; over it: 429 with Retry-After;
- ETags: a GET answered 200 carries a strong ETag of its body; If-None-Match with it gets 304 (the client
  saves the transfer; the server still builds the answer, which is cheap next to sending it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

from trygg.dialog.protection import client_key

from .api import api

WINDOW = 60


def rate_limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "TRYGG_API_RATE_LIMIT", 60)),
        int(getattr(settings, "TRYGG_API_TOKEN_RATE_LIMIT", 600)),
    )


def _client(request) -> tuple[str, int]:
    anonymous_limit, token_limit = rate_limits()
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        digest = hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:32]
        return f"api:rl:t:{digest}", token_limit
    return f"api:rl:{client_key(request, 'api')}", anonymous_limit


def _count(key: str) -> int:
    if cache.add(key, 1, timeout=WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW)
        return 1


def over_limit(request) -> int:
    """Count this request; the seconds to wait when the client is over its limit, else 0."""
    who, limit = _client(request)
    window = int(time.time() // WINDOW)
    if _count(f"{who}:{window}") > limit:
        return WINDOW - int(time.time()) % WINDOW or 1
    return 0


def _with_shared_rules(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if wait := over_limit(request):
            response = HttpResponse(
                json.dumps({"detail": "För många anrop. Försök igen om en stund."}, ensure_ascii=False),
                status=429,
                content_type="application/json; charset=utf-8",
            )
            response["Retry-After"] = str(wait)
            return response
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            set_response_etag(response)
            response["Cache-Control"] = (
                "private, no-cache" if "Authorization" in request.headers else "no-cache"
            )
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    return wrapped


def _wrapped_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _with_shared_rules(pattern.callback)
    return patterns, app_name, namespace


urls = _wrapped_urls()
urlpatterns, app_name = urls[0], urls[2]  # namespace "api-v1", as the docs page reverses it
