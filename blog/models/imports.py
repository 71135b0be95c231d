"""WordPress import bookkeeping (issue 6)."""
