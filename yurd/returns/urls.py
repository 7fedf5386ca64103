from django.urls import path

from yurd.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.planning, name="planning"),
    path("households/<str:code>/", views.household_intentions, name="household_intentions"),
    path("settlements/<str:code>/", views.settlement_plan, name="settlement_plan"),
    path("settlements/<str:code>/export/", views.settlement_export, name="settlement_export"),
]
