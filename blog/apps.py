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

        # weak=False: a receiver defined inside ready() would otherwise be garbage-collected
        # as soon as ready() returns, and bios would silently never be rendered.
        pre_save.connect(render_bio, sender=AuthorProfile, dispatch_uid="blog.render_bio",
                         weak=False)
