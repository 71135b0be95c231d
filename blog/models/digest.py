"""Mailing-list digest runs (issue 7)."""
