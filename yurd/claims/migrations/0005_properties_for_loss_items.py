"""Give every existing loss item a property, and every compensation its property and owner's line.

Loss items of the same kind, settlement, original owner (or, without one, household)
and folded address share one property. Compensation rows get the new line key
("owner:<original owner's code>", or "property" when the owner is unknown). If two
existing rows now fall on the same (property, line) — a double payment the old key let
through — the later one keeps a marked key "dup:<row id>" so the migration completes
and the row can be found (`Compensation.objects.filter(line_key__startswith="dup:")`)
and resolved by annulling or appealing one of the decisions.

Reversible: backwards, the rows lose their property (the schema migration before this
one drops the columns); line keys written here stay, the old constraint accepts them.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from yurd.claims.domain.properties import address_key

    LossItem = apps.get_model("claims", "LossItem")
    Property = apps.get_model("claims", "Property")
    Compensation = apps.get_model("claims", "Compensation")
    Person = apps.get_model("registry", "Person")
    HeirLine = apps.get_model("registry", "HeirLine")
    by_identity = {}
    items = LossItem.objects.filter(property__isnull=True).select_related("claim").order_by("id")
    for item in items.iterator():
        owner_id = item.original_owner_id
        if owner_id is None and item.claim.heir_line_id is not None:
            owner_id = HeirLine.objects.get(pk=item.claim.heir_line_id).ancestor_id
        key = address_key(item.reference)[:300]
        household_id = None if owner_id is not None else item.claim.household_id
        identity = (item.category_id, item.place_id, owner_id, household_id, key)
        prop = by_identity.get(identity)
        if prop is None or not key:
            prop = Property.objects.create(
                code=f"PR-tmp-{item.pk}",
                kind_id=item.category_id,
                place_id=item.place_id,
                names=item.reference,
                original_owner_id=owner_id,
                owner_household_id=household_id,
                address_key=key,
                created_at=item.created_at,
            )
            prop.code = f"PR-{prop.pk:06d}"
            prop.save(update_fields=["code"])
            by_identity[identity] = prop
        elif item.reference not in prop.names.splitlines():
            prop.names = prop.names + "\n" + item.reference
            prop.save(update_fields=["names"])
        item.property_id = prop.pk
        item.save(update_fields=["property"])
    owners = dict(Person.objects.filter(pk__in=Property.objects.values("original_owner_id")).values_list("pk", "code"))
    seen = set()
    for row in Compensation.objects.select_related("loss_item__property").order_by("id").iterator():
        prop = row.loss_item.property
        line_key = f"owner:{owners[prop.original_owner_id]}" if prop.original_owner_id else "property"
        if (prop.pk, line_key) in seen:
            line_key = f"dup:{row.pk}"
        seen.add((prop.pk, line_key))
        row.property_id = prop.pk
        row.line_key = line_key
        row.save(update_fields=["property", "line_key"])


def backwards(apps, schema_editor):
    apps.get_model("claims", "Compensation").objects.update(property=None)
    apps.get_model("claims", "LossItem").objects.update(property=None)
    apps.get_model("claims", "Property").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_property_register"), ("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
