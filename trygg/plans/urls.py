from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("importera/", views.plan_import, name="plan_import"),
    path("aktivitet/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("aktivitet/<int:pk>/<int:year>/status/", views.activity_status_edit, name="activity_status_edit"),
    path("<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("<slug:slug>/export.<str:fmt>", views.plan_export, name="plan_export"),
    path("<slug:slug>/uppfoljning/<int:year>/", views.follow_up_detail, name="follow_up_detail"),
    path("<slug:slug>/uppfoljning/<int:year>/texter/", views.follow_up_edit, name="follow_up_edit"),
    path(
        "<slug:slug>/uppfoljning/<int:year>/aktivitet/<int:pk>/",
        views.follow_up_row,
        name="follow_up_row",
    ),
    path(
        "<slug:slug>/uppfoljning/<int:year>/rapport.<str:fmt>",
        views.follow_up_report,
        name="follow_up_report",
    ),
]
