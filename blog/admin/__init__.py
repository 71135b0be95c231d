from blog.admin import posts  # noqa: F401
