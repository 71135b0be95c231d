"""NUL and other control characters in addresses: a 400, never a 500 (core.middleware).

PostgreSQL refuses NUL in text, so `%00` in any 404 path, in `?q=`, and in the invitation,
newsletter, comment and preview links used to end in a 500, unauthenticated. Run this module
with DATABASE_URL=postgres://… to see the original failure.
"""

import pytest

from tests.comment_helpers import comment_url, human_form
from tests.factories import LivePostFactory

pytestmark = pytest.mark.django_db

BAD_ADDRESSES = [
    "/bestaat-niet%00/",
    "/%00",
    "/zoeken/?q=%00",
    "/zoeken/?q=welzijn%00werk",
    "/zoeken/?q%00=welzijn",
    "/?pagina=%00",
    "/tag/social%00media/",
    "/uitnodiging/abc%00def/",
    "/nieuwsbrief/bevestig/abc%00/",
    "/nieuwsbrief/afmelden/abc%00/",
    "/voorbeeld/abc%00/",
    "/reacties/auteur/abc%00/",
    "/reacties/bevestigen/abc%00/",
    "/reacties/afmelden/abc%00/",
    "/2010/12/social%01media/",
    "/zoeken/?q=%1b[31m",
    "/beheer/login/?next=%00",
    "/account/herstel/MQ%00/set-password/",
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_control_characters_in_an_address_get_a_400(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "Dit adres klopt niet" in response.content.decode()


@pytest.mark.parametrize("address", BAD_ADDRESSES[:6])
def test_a_post_to_such_an_address_gets_a_400_too(client, address):
    assert client.post(address, {"email": "lezer@example.org"}).status_code == 400


def test_ordinary_addresses_are_untouched(client):
    post = LivePostFactory(title="Sociaal media is booming")
    assert client.get(post.get_absolute_url()).status_code == 200
    assert client.get("/zoeken/?q=caf%C3%A9+%E2%80%9Cwelzijn%E2%80%9D").status_code == 200
    assert client.get("/bestaat-niet/").status_code == 404


def test_a_nul_in_a_form_field_is_a_form_error_not_a_500(client):
    post = LivePostFactory()
    response = client.post(comment_url(post), human_form(body="Goed\x00stuk", name="Jan\x00"))
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode() or \
        "Null-tekens zijn niet toegestaan" in response.content.decode()
