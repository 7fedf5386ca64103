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
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

LARGE_COUNT = 10_000
COUNT_SECONDS = 60


def list_count(queryset: Any) -> int:
    """The number of rows of `queryset`; from the cache for large lists (see above)."""
    if not isinstance(queryset, QuerySet):
        return len(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing, e.g. an unknown code
        return 0
    latest = queryset.model._base_manager.using(queryset.db).aggregate(latest=Max("pk"))["latest"]
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
