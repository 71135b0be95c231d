"""Comment moderation admin (issue 5)."""
