"""Newsletter subscriber admin (issue 7)."""
