"""Page-number pagination whose total count stays cheap on large lists.

A `COUNT(*)` over 250,000 people costs more than the page itself, and every request of
a client paging through a list asks for it again. Counts of 10,000 rows or more are
(YURD_API_CACHED_COUNT_FROM) therefore kept for a minute, keyed on the list's SQL and on the table's highest primary
key: a record added anywhere shows at once, a deletion or a record moving out of a
filter within a minute. Smaller lists are counted exactly every time.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

LARGE_COUNT = 10_000
COUNT_SECONDS = 60


def _latest_key(queryset: QuerySet[Any]) -> Any:
    """The table's highest primary key, by a plain SELECT MAX (an index end on both
    databases): built through the ORM, this query cost more Python than the database took."""
    meta = queryset.model._meta
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")  # noqa: S608 - names from _meta
        row = cursor.fetchone()
    return row[0] if row else None


def list_count(queryset: Any) -> int:
    """The number of rows of `queryset`; from the cache for large lists (see above)."""
    if not isinstance(queryset, QuerySet):
        return len(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing, e.g. an unknown code
        return 0
    latest = _latest_key(queryset)
    digest = hashlib.sha256(repr((queryset.db, sql, params, latest)).encode()).hexdigest()
    key = f"api:count:{digest}"
    number = cache.get(key)
    if number is None:
        number = queryset.count()
        if number >= int(getattr(settings, "YURD_API_CACHED_COUNT_FROM", LARGE_COUNT)):
            cache.set(key, number, COUNT_SECONDS)
    return int(number)


class CountCachingPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return list_count(self.object_list)


class YurdPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CountCachingPaginator

    def paginate_keys(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> QuerySet[Any]:
        """As paginate_queryset, but the page is returned as the unevaluated slice of
        `queryset` (say, of its keys), to be used as a subquery: the page's rows are then
        read in one query (`pk IN (… LIMIT 50 OFFSET n)`) without reading the list twice."""
        self.request = request
        page_size = self.get_page_size(request) or self.page_size
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as error:
            raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(error))) from None
        self.display_page_controls = paginator.num_pages > 1 and self.template is not None
        return self.page.object_list  # type: ignore[return-value]
