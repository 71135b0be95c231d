from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from django.db.models.signals import pre_save

        from accounts.models import AuthorProfile
        from blog.content import plain_text_to_html

        def render_bio(sender, instance, **kwargs):
            # accounts may not import blog, so the bio's HTML is derived here, on every save.
            instance.bio_html = plain_text_to_html(instance.bio)

        # weak=False: a local function would otherwise be collected as soon as ready() returns.
        pre_save.connect(
            render_bio, sender=AuthorProfile, dispatch_uid="blog.render_bio", weak=False
        )
