from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.index, name="index"),
    path("planer/<slug:slug>/", views.plan, name="plan"),
    path("planer/<slug:slug>/aktivitet/<int:pk>/", views.activity, name="activity"),
    path("planer/<slug:slug>/rapport/<int:year>.<str:fmt>", views.report, name="report"),
    path("data/", views.open_data, name="open_data"),
    path("data/katalog.rdf", views.catalogue, name="catalogue"),
    path("data/planer/<slug:slug>.<str:fmt>", views.plan_data, name="plan_data"),
    path("data/statistik/<str:code>.<str:fmt>", views.statistics_data, name="statistics_data"),
    path("data/dialog/<str:code>.<str:fmt>", views.dialog_data, name="dialog_data"),
    path("publicera/<slug:slug>/", views.manage, name="manage"),
    path("api-nycklar/", views.tokens, name="tokens"),
    path("api-nycklar/<int:pk>/aterkalla/", views.token_revoke, name="token_revoke"),
]
