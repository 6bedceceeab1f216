"""Single sign-on against a fake OpenID Connect provider on loopback (a tiny HTTP server in a thread: discovery,
authorize, token, jwks, userinfo). No network. The provider's groups become roles per municipality."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from jwt.algorithms import RSAAlgorithm

from trygg.accounts.models import AuditEvent, Membership, Role, User
from trygg.accounts.sso_settings import ROLE_CODES, parse_group_map
from trygg.conftest import MUNICIPALITY_B, make_user
from trygg.places.loading import load_municipality

CLIENT_ID, CLIENT_SECRET = "trygg", "hemligt-klientlosen"


class FakeProvider:
    """An OpenID Connect provider that signs ID tokens with its own RSA key and checks client secret, code
    and PKCE verifier the way a real one does."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.claims: dict = {}
        self.audience = CLIENT_ID
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json(provider.discovery())
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    self.send_response(302)
                    target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                if url.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(provider.tokens[token])
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path != "/token":
                    return self._json({"error": "not_found"}, 404)
                request = provider.codes.pop(form.get("code", ""), None)
                if (
                    request is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("redirect_uri") != request["redirect_uri"]
                ):
                    return self._json({"error": "invalid_grant"}, 400)
                verifier = form.get("code_verifier", "")
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
                if challenge.decode() != request.get("code_challenge"):
                    return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = dict(provider.claims)
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        **provider.claims,
                        "iss": provider.issuer,
                        "aud": provider.audience,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": request["nonce"],
                    },
                    provider.key,
                    algorithm="RS256",
                    headers={"kid": "k1"},
                )
                return self._json({"access_token": access, "token_type": "Bearer", "id_token": id_token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
        }


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeProvider()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def sso(provider, municipality):
    import requests

    config = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    with override_settings(
        TRYGG_OIDC_ENABLED=True,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_ISSUER=config["issuer"],
        OIDC_OP_AUTHORIZATION_ENDPOINT=config["authorization_endpoint"],
        OIDC_OP_TOKEN_ENDPOINT=config["token_endpoint"],
        OIDC_OP_USER_ENDPOINT=config["userinfo_endpoint"],
        OIDC_OP_JWKS_ENDPOINT=config["jwks_uri"],
        AUTHENTICATION_BACKENDS=[
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
            "trygg.accounts.oidc.TryggOIDCBackend",
        ],
        TRYGG_OIDC_GROUPS=parse_group_map(
            "trygg-1482-samordnare=1482:coordinator,trygg-1482-lasare=1482:reader,trygg-1440-lasare=1440:reader"
        ),
        AXES_ENABLED=True,
        TRYGG_REQUIRE_2FA=True,  # the provider did the second factor: an SSO session needs no TOTP code
    ):
        yield provider


def _sso_login(client, provider, next_url="/lagesbild/"):
    """Trygg → provider's authorize → back to Trygg's callback, as a browser follows the redirects."""
    import http.client

    start = client.get(reverse("oidc_authentication_init"), {"next": next_url})
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer + "/authorize?")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == [CLIENT_ID]
    url = urlsplit(start["Location"])
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request("GET", f"{url.path}?{url.query}")
    back = connection.getresponse()
    assert back.status == 302
    callback = urlsplit(back.getheader("Location"))
    connection.close()
    return client.get(callback.path, parse_qs(callback.query))


CLAIMS = {
    "sub": "0b7f-4c1e-entra-subject",
    "preferred_username": "anna.andersson@kungalv.se",
    "email": "anna.andersson@kungalv.se",
    "given_name": "Anna",
    "family_name": "Andersson",
}


def test_a_group_of_the_provider_becomes_a_role_in_the_municipality(client, sso):
    sso.claims = {**CLAIMS, "groups": ["trygg-1482-samordnare", "alla-anstallda"]}
    response = _sso_login(client, sso)
    assert response.status_code == 302 and response["Location"] == "/lagesbild/"

    user = User.objects.get(oidc_subject=CLAIMS["sub"])
    assert (user.username, user.first_name, user.email) == (
        "anna.andersson@kungalv.se",
        "Anna",
        CLAIMS["email"],
    )
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("municipality__code", "role")) == [("1482", Role.COORDINATOR)]
    # The provider did the second factor: a coordinator reaches the lägesbild without a TOTP code.
    assert client.get("/lagesbild/").status_code == 200
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == user and login.changes == {"method": [None, "sso"]}
    roles = AuditEvent.objects.get(action="auth.sso_roles")
    assert roles.changes == {"memberships": [[], ["1482:coordinator"]]}


def test_the_groups_decide_the_roles_at_every_login(client, sso):
    load_municipality(MUNICIPALITY_B)
    sso.claims = {**CLAIMS, "groups": ["trygg-1482-samordnare"]}
    _sso_login(client, sso)
    client.logout()
    # The coordinator group was removed in the provider; a reader group in Ale added; the strongest role wins.
    sso.claims = {**CLAIMS, "groups": ["trygg-1482-lasare", "trygg-1440-lasare"]}
    _sso_login(client, sso)
    user = User.objects.get(oidc_subject=CLAIMS["sub"])
    assert User.objects.count() == 1
    assert sorted(user.memberships.values_list("municipality__code", "role")) == [
        ("1440", Role.READER),
        ("1482", Role.READER),
    ]


def test_nobody_without_a_mapped_group_gets_in(client, sso):
    sso.claims = {**CLAIMS, "groups": ["alla-anstallda"]}
    response = _sso_login(client, sso)
    assert response.status_code == 302 and response["Location"] == "/logga-in/?sso=fel"
    assert not User.objects.filter(oidc_subject=CLAIMS["sub"]).exists()
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Inloggningen via inloggningstjänsten gick inte igenom" in page.content.decode()


def test_an_id_token_for_another_client_is_refused(client, sso):
    sso.claims = {**CLAIMS, "groups": ["trygg-1482-samordnare"]}
    sso.audience = "en-annan-tjanst"
    response = _sso_login(client, sso)
    assert response["Location"] == "/logga-in/?sso=fel"
    assert "_auth_user_id" not in client.session


def test_a_local_account_with_the_same_email_is_not_taken_over(client, sso):
    local = make_user("anna", Role.ADMIN, email=CLAIMS["email"])
    sso.claims = {**CLAIMS, "preferred_username": "anna", "groups": ["trygg-1482-lasare"]}
    _sso_login(client, sso)
    created = User.objects.get(oidc_subject=CLAIMS["sub"])
    assert created.pk != local.pk and created.username == "anna-2"
    assert Membership.objects.get(user=local).role == Role.ADMIN


def test_the_login_page_offers_single_sign_on_only_when_configured(client, sso):
    assert reverse("oidc_authentication_init") in client.get("/logga-in/").content.decode()
    with override_settings(TRYGG_OIDC_ENABLED=False):
        assert reverse("oidc_authentication_init") not in client.get("/logga-in/").content.decode()
        assert client.get(reverse("oidc_authentication_init")).status_code == 404


def test_the_group_setting_fails_loudly_on_nonsense():
    assert parse_group_map(" a=1482:reader , b-c=1440:admin ") == {
        "a": ("1482", "reader"),
        "b-c": ("1440", "admin"),
    }
    for bad in ("a=1482", "a=Kungälv:reader", "a=1482:boss", "=1482:reader"):
        with pytest.raises(ImproperlyConfigured):
            parse_group_map(bad)
    assert set(ROLE_CODES) == set(Role.values) - {""}
