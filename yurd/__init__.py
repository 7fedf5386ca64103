"""Yurd: registry, claims, heritage and evidence for a community of displaced people."""
