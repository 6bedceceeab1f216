"""Protection of the public form without tracking anyone.

- Rate limit: the client's address is turned into a salted hash (HMAC-SHA256 with a key derived from
  SECRET_KEY and today's date, so the hash changes every day and cannot be reversed without the key) and
  only that hash is kept, as a counter in the shared cache with a short TTL (Redis in production, so it
  holds across server processes). The address itself is never stored or logged.
- Minimum fill time: the form carries a signed timestamp; a post sooner than DIALOG_MIN_FILL_SECONDS after
  the form was shown is refused (bots fill forms instantly), and one older than DIALOG_FORM_MAX_AGE is stale.
- Honeypot: a field people do not see; a filled one means a bot.
- Body size: DIALOG_MAX_BODY_BYTES checked from Content-Length before Django reads the body.

Settings (read with defaults, so the app works without them): DIALOG_RATE_LIMIT (posts per window and
client, default 10), DIALOG_RATE_WINDOW (seconds, 600), DIALOG_MIN_FILL_SECONDS (3),
DIALOG_FORM_MAX_AGE (seconds, 4 h), DIALOG_MAX_BODY_BYTES (9 MB), DIALOG_CLIENT_IP_HEADER (the META key
holding the client address; behind a reverse proxy e.g. "HTTP_X_FORWARDED_FOR", last entry used).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

HONEYPOT_FIELD = "webbplats"
TOKEN_FIELD = "formular_id"  # noqa: S105 - a form field name, not a secret
_SALT = "trygg.dialog.fill-time"


def setting(name: str, default):
    return getattr(settings, name, default)


def _client_address(request) -> str:
    header = setting("DIALOG_CLIENT_IP_HEADER", "REMOTE_ADDR")
    raw = request.META.get(header, "") or request.META.get("REMOTE_ADDR", "")
    return raw.split(",")[-1].strip()


def client_key(request, scope: str) -> str:
    """The salted, daily-rotating hash that stands for the client in the rate limit."""
    day = dt.datetime.now(dt.UTC).date().isoformat()
    daily_key = hmac.new(settings.SECRET_KEY.encode(), f"dialog-rate:{day}".encode(), hashlib.sha256).digest()
    digest = hmac.new(daily_key, f"{scope}|{_client_address(request)}".encode(), hashlib.sha256).hexdigest()
    return f"dialog:rl:{digest[:40]}"


def over_rate_limit(request, scope: str = "submit") -> bool:
    """Count this request; True when the client has made more than DIALOG_RATE_LIMIT in the window."""
    return count_and_read(request, scope)[0]


def count_and_read(request, scope: str = "submit", read: str | None = None) -> tuple[bool, object]:
    """Count this request in the rate limit and read the cache key `read` (None: nothing) in the same
    round trip. Returns (over the limit, the value read or None)."""
    limit = int(setting("DIALOG_RATE_LIMIT", 10))
    window = int(setting("DIALOG_RATE_WINDOW", 600))
    key = client_key(request, scope)
    counted = _count_in_redis(key, window, read)
    if counted is not None:
        count, value = counted
        return count > limit, value
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
            count = 1
    return count > limit, (cache.get(read) if read else None)


# Create the counter with its TTL if missing, count, and read one more key: one round trip, no MULTI/EXEC.
_LUA = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local n = redis.call('INCR', KEYS[1])
local v = false
if #KEYS > 1 then v = redis.call('GET', KEYS[2]) end
return {n, v}
"""
_scripts: dict[int, object] = {}


def _count_in_redis(key: str, window: int, read: str | None = None) -> tuple[int, object] | None:
    """With Redis as the cache: (count, value of `read`) in one round trip (Django's add + incr + get take
    four). The client and the registered script are kept per process and connection pool (building a
    redis.Redis per call costs more than the round trip). None with any other cache backend."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    cache_client = backend._cache
    pool = cache_client._get_connection_pool(write=True)
    script = _scripts.get(id(pool))
    if script is None:
        script = cache_client._client(connection_pool=pool).register_script(_LUA)
        _scripts[id(pool)] = script
    keys = [backend.make_and_validate_key(key)]
    if read:
        keys.append(backend.make_and_validate_key(read))
    count, raw = script(keys=keys, args=[window])
    return int(count), (cache_client._serializer.loads(raw) if raw is not None else None)


def body_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > int(setting("DIALOG_MAX_BODY_BYTES", 9 * 1024 * 1024))


def make_token(campaign_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{campaign_id}:{time.time():.3f}")


class TokenProblem(ValueError):
    """Swedish message for the resident."""


def check_token(token: str, campaign_id: int) -> None:
    """Raise TokenProblem when the form token is missing, forged, for another campaign, stale or too fresh."""
    max_age = int(setting("DIALOG_FORM_MAX_AGE", 4 * 3600))
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token or "", max_age=max_age)
    except signing.SignatureExpired:
        raise TokenProblem(
            "Formuläret har varit öppet för länge. Dina svar finns kvar; skicka igen."
        ) from None
    except signing.BadSignature:
        raise TokenProblem("Formuläret kunde inte kontrolleras. Ladda om sidan och försök igen.") from None
    ident, _, shown_at = value.partition(":")
    if ident != str(campaign_id):
        raise TokenProblem("Formuläret hör till en annan fråga. Ladda om sidan och försök igen.")
    try:
        elapsed = time.time() - float(shown_at)
    except ValueError:
        raise TokenProblem("Formuläret kunde inte kontrolleras. Ladda om sidan och försök igen.") from None
    if elapsed < float(setting("DIALOG_MIN_FILL_SECONDS", 3)):
        raise TokenProblem(
            "Formuläret skickades för snabbt efter att sidan öppnades. Kontrollera dina svar och skicka igen."
        )
