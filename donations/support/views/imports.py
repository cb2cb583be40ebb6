"""Pages of support to households (see donations/support/urls.py)."""
