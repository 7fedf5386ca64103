from django.urls import path

from yurd.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("add/", views.item_upload, name="item_upload"),
    path("items/<uuid:code>/", views.item_detail, name="item_detail"),
    path("items/<uuid:code>/download/", views.item_download, name="item_download"),
    path("items/<uuid:code>/thumbnail/", views.item_thumbnail, name="item_thumbnail"),
]
