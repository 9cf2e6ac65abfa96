"""Pure logic of the MDMA Evidence Guide.

Hooks (scripts/hooks/), the checker (scripts/check_site.py) and the tests all call these
plain functions, so each rule has one implementation. Nothing here imports MkDocs.
"""
