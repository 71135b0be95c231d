# One module per capability; importing registers its ModelAdmins.
from blog.admin import comments, digest, imports, posts, series  # noqa: F401
