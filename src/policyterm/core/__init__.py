"""The pure side of policyterm: the model, its loading, views, search and text formatting.

Nothing here imports textual or rich (tests/test_hygiene.py checks it): `validate` and
`export` run without a terminal UI, and the explorer builds on these modules.
"""
