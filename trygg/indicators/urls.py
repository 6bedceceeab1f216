from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("index/", views.composite, name="composite"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/mall-lokala-nyckeltal.csv", views.local_template, name="local_template"),
    path("lokala-nyckeltal/", views.local_figures, name="local_figures"),
]
