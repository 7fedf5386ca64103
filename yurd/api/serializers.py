"""What the API shows of each record. People's names reach only users who may see names."""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import CharField, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yurd.places.models import Place
from yurd.registry.models import Household, HouseholdRole, Person, Sex, Wave


class PlaceSerializer(serializers.ModelSerializer[Place]):
    # "parent" and "source" shadow attributes of DRF's Field in its type stubs only.
    parent = serializers.SlugRelatedField[Place](slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment]
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Place
        fields = ["code", "kind", "name", "parent", "latitude", "longitude", "coordinate_precision", "geonames_id"]


class PartialDateText(serializers.CharField):
    """A partial date as stored: "1951", "1951-03", "1951-03-12", "~" when approximate."""

    def to_representation(self, value: Any) -> str:
        return value.to_storage() if value else ""


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    origin_place = serializers.SlugRelatedField[Place](slug_field="code", read_only=True, allow_null=True)
    current_place = serializers.SlugRelatedField[Place](slug_field="code", read_only=True, allow_null=True)
    wave = serializers.SlugRelatedField[Wave](slug_field="code", read_only=True, allow_null=True)
    displacement_date = PartialDateText(read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = ["code", "origin_place", "wave", "displacement_date", "current_place"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    household = serializers.SlugRelatedField[Household](slug_field="code", read_only=True)
    birth_date = PartialDateText(read_only=True, allow_null=True)
    death_date = PartialDateText(read_only=True, allow_null=True)
    surname = serializers.SerializerMethodField()
    given_name = serializers.SerializerMethodField()
    patronymic = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "code",
            "household",
            "household_role",
            "surname",
            "given_name",
            "patronymic",
            "sex",
            "birth_date",
            "is_deceased",
            "death_date",
        ]

    def _sees_names(self) -> bool:
        request = self.context.get("request")
        return bool(request is not None and request.user.is_authenticated and request.user.sees_names)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_surname(self, person: Person) -> str | None:
        return person.surname if self._sees_names() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_given_name(self, person: Person) -> str | None:
        return person.given_name if self._sees_names() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_patronymic(self, person: Person) -> str | None:
        return person.patronymic if self._sees_names() else None


class MemberInputSerializer(serializers.Serializer[dict[str, Any]]):
    surname = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    household_role = serializers.ChoiceField(choices=HouseholdRole.choices, default=HouseholdRole.OTHER)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="")
    birth_date = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    is_deceased = serializers.BooleanField(required=False, default=False)
    death_date = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("surname") or attrs.get("given_name")):
            raise serializers.ValidationError({"surname": _("Give at least a surname or a given name.")})
        return attrs


class CodeField(serializers.SlugRelatedField[Any]):
    """A record named by its code. A code holding a NUL character names nothing (DRF's
    "does not exist"): PostgreSQL cannot compare text with NUL and would answer 500."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\x00"))
        return super().to_internal_value(data)


class ConsentInputSerializer(serializers.Serializer[dict[str, Any]]):
    purpose = serializers.CharField(max_length=200)
    given_on = serializers.DateField()


class HouseholdRegistrationSerializer(serializers.Serializer[dict[str, Any]]):
    """A household with its members, registered in one go (registry.household_register)."""

    origin_place = CodeField(slug_field="code", queryset=Place.objects.all(), required=False, allow_null=True)
    current_place = CodeField(slug_field="code", queryset=Place.objects.all(), required=False, allow_null=True)
    wave = CodeField(slug_field="code", queryset=Wave.objects.all(), required=False, allow_null=True)
    displacement_date = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    members = MemberInputSerializer(many=True, min_length=1, max_length=60)  # type: ignore[call-arg]
    consent = ConsentInputSerializer(required=False)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")  # type: ignore[assignment]
    source_ref = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ClaimSerializer(serializers.Serializer[Any]):
    """A claim's file header; loss items and decisions stay on the claims pages."""

    case_number = serializers.CharField(read_only=True)
    household = serializers.CharField(source="household.code", read_only=True)
    filed_by = serializers.CharField(read_only=True)
    heir_line = serializers.CharField(source="heir_line.code", read_only=True, allow_null=True, default=None)
    remedy = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    total_value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    currency = serializers.CharField(read_only=True, allow_blank=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class HeritageSiteSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    site_type = serializers.CharField(source="site_type.code", read_only=True)
    settlement = serializers.CharField(source="settlement.code", read_only=True)
    latitude = serializers.FloatField(read_only=True)
    longitude = serializers.FloatField(read_only=True)
    period = serializers.CharField(read_only=True, allow_blank=True)
    is_published = serializers.BooleanField(read_only=True)


# --- list pages as plain dictionaries --------------------------------------------------
# A list page is read as tuples and turned into exactly what the serializers above would
# produce (yurd/api/tests/test_read.py compares the two): building fifty model instances
# with their related places and running DRF's field machinery over them costs several
# times the queries themselves.


def _stored(name: str) -> ExpressionWrapper:
    """A partial date column read as its stored text, which is what the API shows: no
    PartialDate is built for each value only to be written back (an unknown date, stored
    as "", is shown as null, as the field reads it)."""
    return ExpressionWrapper(F(name), output_field=CharField())


def household_rows(keys: Any, *, order: tuple[str, ...] = ("code",)) -> list[dict[str, Any]]:
    """HouseholdSerializer(many=True).data for the households whose ids `keys` gives (a
    list, or a sliced queryset of ids used as a subquery), in `order`."""
    return [
        {
            "code": code,
            "origin_place": origin,
            "wave": wave,
            "displacement_date": displaced or None,
            "current_place": current,
        }
        # `keys` come from the reader's scoped list (registry.household_list): one query reads the page.
        for code, origin, wave, displaced, current in Household.objects.unscoped()
        .filter(pk__in=keys)
        .order_by(*order)
        .values_list("code", "origin_place__code", "wave__code", _stored("displacement_date"), "current_place__code")
    ]


def person_rows(keys: Any, *, sees_names: bool, order: tuple[str, ...] = ("code",)) -> list[dict[str, Any]]:
    """PersonSerializer(many=True).data for the people whose ids `keys` gives, in `order`;
    names are not even read for users who may not see them."""
    names = ("surname", "given_name", "patronymic") if sees_names else ()
    fields = (
        "code",
        "household__code",
        "household_role",
        "sex",
        _stored("birth_date"),
        "is_deceased",
        _stored("death_date"),
    )
    rows = []
    # `keys` come from the reader's scoped list (registry.person_list), as in household_rows.
    for values in Person.objects.unscoped().filter(pk__in=keys).order_by(*order).values_list(*fields, *names):
        code, household, role, sex, born, deceased, died, *named = values
        surname, given_name, patronymic = named if sees_names else (None, None, None)
        rows.append(
            {
                "code": code,
                "household": household,
                "household_role": role,
                "surname": surname,
                "given_name": given_name,
                "patronymic": patronymic,
                "sex": sex,
                "birth_date": born or None,
                "is_deceased": deceased,
                "death_date": died or None,
            }
        )
    return rows


@functools.cache
def _field_readers(serializer: type[serializers.Serializer[Any]]) -> tuple[list[str], list[Any]]:
    """The field names of `serializer` and each field's to_representation, built once per
    class: DRF deep-copies the declared fields for every instance, which cost more than
    reading the page (fields' to_representation keeps no state between values)."""
    fields = list(serializer().fields.items())
    return [name for name, _field in fields], [field.to_representation for _name, field in fields]


def plain_rows(
    serializer: type[serializers.Serializer[Any]], queryset: Any, lookups: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """`serializer(many=True).data` for a plain Serializer whose fields read attributes
    (or `a.b` paths, given here as `a__b` lookups), from one values query: each value goes
    through its own field's to_representation, None stays None, as DRF does."""
    names, shown = _field_readers(serializer)
    paths = [(lookups or {}).get(name, name) for name in names]
    return [
        {name: None if value is None else show(value) for name, show, value in zip(names, shown, row, strict=True)}
        for row in queryset.values_list(*paths)
    ]
