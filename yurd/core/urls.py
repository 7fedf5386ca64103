from django.urls import path

from yurd.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/access/", views.access_log, name="access_log"),
    path("audit/changes/", views.change_log, name="change_log"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
]
