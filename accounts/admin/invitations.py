"""Invitation and pitch admin (issue 3)."""
