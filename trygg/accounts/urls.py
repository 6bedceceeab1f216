"""Second factor, single sign-on and the audit trail (no namespace: mozilla-django-oidc reverses its callback
by the bare name "oidc_authentication_callback")."""

from django.urls import path

from . import oidc, views

urlpatterns = [
    path("tvastegs/", views.two_factor_verify, name="two_factor_verify"),
    path("tvastegs/aktivera/", views.two_factor_enrol, name="two_factor_enrol"),
    path("tvastegs/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("sso/start/", oidc.start, name="oidc_authentication_init"),
    path("sso/callback/", oidc.callback, name="oidc_authentication_callback"),
    path("granskningslogg/", views.audit_list, name="audit_list"),
    path("granskningslogg/export.csv", views.audit_export, name="audit_export"),
]
