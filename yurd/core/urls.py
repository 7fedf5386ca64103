from django.urls import path

from yurd.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
]
