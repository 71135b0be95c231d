"""Demo content for `manage.py demo`: the blog as it was in 2010, and a December series in
the works. `data` holds the facts and texts, `images` draws the pictures, `loader` writes
them through the project's own domain functions (workflow, editing, image pipeline).
"""
