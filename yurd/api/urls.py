from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from yurd.api import views

app_name = "api"

router = DefaultRouter()
router.register("places", views.PlaceViewSet, basename="place")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("people", views.PersonViewSet, basename="person")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("heritage-sites", views.HeritageSiteViewSet, basename="heritage-site")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("", include(router.urls)),
]
