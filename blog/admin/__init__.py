# One module per part of the post admin; importing registers its ModelAdmins.
from blog.admin import posts, series  # noqa: F401
