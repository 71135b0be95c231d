"""Small building blocks below every app: mail, the image pipeline, spam defences.

Both `accounts` (profile photos, newsletter, pitches) and `blog` (post images, comments)
need these, and `accounts` may not import `blog`, so they live here, knowing no models.
"""
