"""Static files as production serves them: hashed names, compressed copies, cached for a year.

whitenoise's CompressedManifestStaticFilesStorage, chosen whenever DEBUG is off, so that
`collectstatic` always writes the manifest (it used to be chosen only when staticfiles.json
already existed, so collectstatic never wrote one). Before collectstatic has run, a name the
manifest does not know is served under its plain name (from the source folders, through
whitenoise's finders) instead of failing the page.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not collected (yet): neither in the manifest nor in STATIC_ROOT
            return name
