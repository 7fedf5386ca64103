from django.urls import path

from yurd.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:candidate_id>/", views.candidate_detail, name="candidate_detail"),
    path("merges/<int:merge_id>/", views.merge_detail, name="merge_detail"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("scan/", views.scan, name="scan"),
]
