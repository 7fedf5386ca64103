from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from yurd.api import views
from yurd.api.evidence import EvidenceViewSet
from yurd.api.more_reads import (
    ClaimDecisionViewSet,
    ClaimLossItemViewSet,
    PersonConsentViewSet,
    PersonHeirsViewSet,
    SiteNameViewSet,
)
from yurd.api.observations import ObservationViewSet
from yurd.api.reads import KinshipViewSet, PlaceNameViewSet, ValuationTableViewSet
from yurd.api.returns import ReturnIntentionViewSet, ReturnPlanningView
from yurd.testimonies.apis import TestimonyDetailApi, TestimonyListApi

app_name = "api"

# No ".json" suffix routes: the views read no `format` argument (each such address
# answered 500), and the Accept header or ?format= already choose the renderer.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("places", views.PlaceViewSet, basename="place")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("people", views.PersonViewSet, basename="person")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("heritage-sites", views.HeritageSiteViewSet, basename="heritage-site")
router.register("observations", ObservationViewSet, basename="observation")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("return-intentions", ReturnIntentionViewSet, basename="return-intention")
router.register("kinship", KinshipViewSet, basename="kinship")
router.register("place-names", PlaceNameViewSet, basename="place-name")
router.register("valuation-tables", ValuationTableViewSet, basename="valuation-table")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("return-planning/", ReturnPlanningView.as_view(), name="return-planning"),
    path("testimonies/", TestimonyListApi.as_view(), name="testimony-list"),
    path("testimonies/<str:code>/", TestimonyDetailApi.as_view(), name="testimony-detail"),
    path(
        "claims/<str:case_number>/items/",
        ClaimLossItemViewSet.as_view({"get": "list"}),
        name="claim-loss-items",
    ),
    path(
        "claims/<str:case_number>/decisions/",
        ClaimDecisionViewSet.as_view({"get": "list"}),
        name="claim-decisions",
    ),
    path("people/<str:code>/heirs/", PersonHeirsViewSet.as_view({"get": "retrieve"}), name="person-heirs"),
    path("people/<str:code>/consents/", PersonConsentViewSet.as_view({"get": "list"}), name="person-consents"),
    path("heritage-sites/<str:code>/names/", SiteNameViewSet.as_view({"get": "list"}), name="heritage-site-names"),
    path("", include(router.urls)),
]
