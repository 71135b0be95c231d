from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, alt, width=800, sizes="(max-width: 42rem) 100vw, 42rem", css_class="",
            loading="lazy"):
    """A responsive <img> from an Image's renditions; alt text is required by the forms.

    `loading="eager"` for the picture at the top of a page (it is what the reader sees first).
    """
    return {"image": image, "alt": alt, "src": image.url_for(width) if image else "",
            "sizes": sizes, "css_class": css_class, "loading": loading}
