from django.urls import path

from yurd.fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.index, name="index"),
    # OpenRosa: the paths ODK Collect appends to the server URL.
    path("formList", views.form_list, name="form_list"),
    path("submission", views.submission, name="submission"),
    path("forms/<str:form_id>/form.xml", views.form_download, name="form_download"),
    path("forms/<str:form_id>/manifest", views.form_manifest, name="form_manifest"),
    path("forms/<str:form_id>/households.csv", views.form_households, name="form_households"),
    path("form.xlsx", views.xlsform, name="xlsform"),
    path("form.xml", views.xform, name="xform"),
    path("upload/", views.export_upload, name="export_upload"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/intention/", views.submission_record_intention, name="submission_record_intention"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/assign/", views.team_assign, name="team_assign"),
    path("teams/<int:pk>/assignments/<int:assignment>/remove/", views.assignment_remove, name="assignment_remove"),
    path(
        "teams/<int:pk>/members/<int:user>/device-password/",
        views.member_device_password,
        name="member_device_password",
    ),
    path("device-password/", views.own_device_password, name="own_device_password"),
]
