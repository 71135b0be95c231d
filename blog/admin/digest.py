"""Mailing-list digest admin (issue 7)."""
