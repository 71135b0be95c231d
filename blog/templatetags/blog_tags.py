"""`{% picture %}` and `{% post_card %}`.

A post card is the most repeated piece of the reader's site (ten on every list page): it is
made in Python by `blog.cards` (a template included per card cost a third of the home page)
and kept there per version of the post (issue 11).
"""

from django import template
from django.utils.html import format_html

from blog import cards
from blog.cards import CARD_SIZES

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, alt, width=800, sizes=CARD_SIZES, css_class="", loading="lazy"):
    """A responsive <img> from an Image's renditions; alt text is required by the forms.

    `loading="eager"` for the picture at the top of a page (it is what the reader sees first).
    """
    return {"image": image, "alt": alt, "src": image.url_for(width) if image else "",
            "sizes": sizes, "css_class": css_class, "loading": loading}


@register.simple_tag
def post_card(post, heading_level=2):
    """One post in a list: title, date, author, series, picture, summary, tags.

    `post` is a Card (a list page's cards come from `blog.cards.for_page`) or a Post (made
    into its card here). Pass heading_level=3 where the list sits under an <h2>.
    """
    level = int(heading_level or 2)
    item = post if isinstance(post, cards.Card) else cards.card(post)
    return format_html(
        '<article class="post-card">\n'
        '  <h{level} class="post-card-title">{heading}</h{level}>\n'
        '{body}'
        '</article>\n',
        level=level, heading=item.heading, body=item.body,
    )
