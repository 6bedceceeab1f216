from django.urls import path

from . import views

app_name = "dialog"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("ny/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/andra/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/synpunkter/", views.submission_list, name="submission_list"),
    path("<int:pk>/granskning/", views.moderation_queue, name="moderation_queue"),
    path("<int:pk>/analys/", views.campaign_analysis, name="campaign_analysis"),
    path("<int:pk>/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("<int:pk>/export.geojson", views.export, {"fmt": "geojson"}, name="export_geojson"),
    path("synpunkt/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("synpunkt/<int:pk>/moderera/", views.submission_moderate, name="submission_moderate"),
    path("synpunkt/<int:pk>/redigera-text/", views.submission_redact, name="submission_redact"),
    path("synpunkt/<int:pk>/fokusomrade/", views.submission_focus_area, name="submission_focus_area"),
    path("synpunkt/<int:pk>/atgard/", views.submission_action, name="submission_action"),
    path("synpunkt/<int:pk>/vandring/", views.submission_walk_stop, name="submission_walk_stop"),
    path("synpunkt/<int:pk>/foto/", views.submission_photo, name="submission_photo"),
]
