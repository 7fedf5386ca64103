from django.urls import path

from yurd.casualties import views

app_name = "casualties"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.person_list, name="person_list"),
    path("people/<str:code>/", views.person_detail, name="person_detail"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/new/", views.list_create, name="list_create"),
    path("lists/<slug:code>/", views.list_detail, name="list_detail"),
    path("lists/<slug:code>/import/", views.import_new, name="import_new"),
    path("overlaps/", views.overlaps, name="overlaps"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("link/", views.link, name="link"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.match_detail, name="match_detail"),
]
