"""Statistical disclosure control, free of Django: which cells of a published table to hide.

Used by reports (dashboards, statistics, maps) and by return planning; it sits below every
app so that both can use it without importing each other.
"""
