"""An independent evaluation data set for record linkage of displaced households.

Written from ``/work/shared/NAMES.md`` and ``DOMAIN.md`` only, without reading the
engine it evaluates. See README.md in this directory.
"""
