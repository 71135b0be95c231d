"""WordPress import admin: old permalinks (issue 6)."""
