"""The headless core: classify a question, plan, execute against NetBox, shape the answer.

Nothing in this package imports Textual (tests/unit/test_import_hygiene.py guards it).
"""
