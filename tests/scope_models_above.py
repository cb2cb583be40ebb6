"""The typical models' routes in the scope harness (above): see tests/scope_harness.py for the rules.
Imported at the end of scope_harness.py; adds to its SCOPED_MODELS, ROUTES and COUNTS."""
