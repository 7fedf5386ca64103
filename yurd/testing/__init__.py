"""Test support: personas, hostile files, throwaway installations.

Above every app (it makes users with roles and scopes over places), so it lives outside
`yurd.core`, which imports no app; only tests, conftest.py and bench/ import it.
"""
