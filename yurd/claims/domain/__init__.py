"""Pure claim arithmetic, free of Django: valuation, succession shares, QC sampling, property keys.

Unit-tested without a database; services call these and store their results.
"""
