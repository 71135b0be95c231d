"""Form plumbing for the image pipeline: a field that runs `process_image` while the form
is cleaned, and a mixin that deletes what it stored when the form (or the save after it)
fails, so a rejected form leaves no stray files behind.

Errors are ordinary field errors with core.images' Dutch messages, shown next to the field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.images import ImageRejected, StoredImage, delete_stored, process_image

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class UploadedImageField(forms.FileField):
    """A file input whose cleaned value is a StoredImage (renditions written) or None."""

    def __init__(self, *, folder: str, **kwargs):
        self.folder = folder
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}))
        kwargs.setdefault(
            "help_text",
            _("JPEG, PNG, WebP of GIF. We verwijderen locatie- en cameragegevens."),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial=None)
        if not upload:
            return None
        try:
            return process_image(upload, folder=self.folder)
        except ImageRejected as exc:
            raise ValidationError(exc.messages, code="image") from exc


class StoredImagesMixin:
    """Deletes the renditions a form stored when the form turns out invalid.

    A view that fails later (an edit conflict, a refused transition) calls
    `discard_stored_images()` itself.
    """

    def stored_images(self) -> list[StoredImage]:
        data = getattr(self, "cleaned_data", None) or {}
        return [value for value in data.values() if isinstance(value, StoredImage)]

    def discard_stored_images(self) -> None:
        for stored in self.stored_images():
            delete_stored(stored.renditions)
        for name, value in list(getattr(self, "cleaned_data", {}).items()):
            if isinstance(value, StoredImage):
                self.cleaned_data[name] = None

    def full_clean(self):
        super().full_clean()
        if self._errors:
            self.discard_stored_images()
