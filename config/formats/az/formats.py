# Django reads one module per language (FORMAT_MODULE_PATH); az and ru share one form.
from config.formats.day_month_year import *  # noqa: F403
