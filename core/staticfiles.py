"""Static files as production serves them: hashed names, compressed copies, cached for a year.

whitenoise's CompressedManifestStaticFilesStorage, chosen whenever DEBUG is off, so that
`collectstatic` always writes the manifest (it used to be chosen only when staticfiles.json
already existed, so collectstatic never wrote one). Before collectstatic has run, a name the
manifest does not know is served under its plain name (from the source folders, through
whitenoise's finders) instead of failing the page.

Each file's address is worked out once per process: `url()` joins and quotes it anew on
every `{% static %}`, and five of them were a twentieth of a post page that renders. The
manifest is read when the storage is made, so an address cannot change while the process
serves; `collectstatic` (which writes a new one) forgets them.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not collected (yet): neither in the manifest nor in STATIC_ROOT
            return name
