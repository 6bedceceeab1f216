from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from trygg.accounts import views as account_views
from trygg.operations import views as operations_views
from trygg.plans import views as plan_views

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("logga-in/", account_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("kommun/", account_views.switch_municipality, name="switch_municipality"),
    path("konto/", include("trygg.accounts.urls")),
    path("admin/", admin.site.urls),
    path("planer/", include("trygg.plans.urls")),
    path("statistik/", include("trygg.indicators.urls")),
    path("platser/", include("trygg.places.urls")),
    path("lagesbild/", include("trygg.situation.urls")),
    path("vandringar/", include("trygg.walks.urls")),
    path("dialog/", include("trygg.dialog.urls")),
    path("tycktill/", include("trygg.dialog.public_urls")),
    path("lagen/", include("trygg.assessments.urls")),
    path("oppet/", include("trygg.publishing.urls")),
    path("api/v1/", include("trygg.publishing.api_urls")),
    path("integritet/", operations_views.privacy, name="privacy"),
]
