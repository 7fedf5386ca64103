import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# What is loaded by now (modules, settings, models: about 140,000 objects) lives as long
# as the worker. Frozen, it is left out of the collector's full collections, which then
# scan only what requests leave behind: about 5 ms instead of 70-85 ms falling on one
# request in every 200 or so (registry list pages, docs/benchmarks.md).
gc.freeze()
