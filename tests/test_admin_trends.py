"""Trend lists in the admin: paste a numbered list (previewed first), outcome per trend."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import TrendFactory, TrendListFactory
from trends.admin import parse_numbered_list
from trends.models import Trend

PASTED = """Trends welzijnswerk 2010

1. Vertrouwen wordt belangrijker dan meten: er komt in 2010 een einde aan alle overmatige aandacht voor het meten van prestaties.
2. Fuseren raakt uit de mode: er komt een einde aan het fusiegeweld.
   De eerste franchiseformule wordt gelanceerd.
8. Social media is booming: Welzijnswerkers twitteren, bloggen, hyven en zijn te vinden op Linkedin.
11. WIP: het WIP wordt opgericht, Welzijn Innovatie Platform.
"""


def test_parse_splits_title_and_description_at_the_first_colon():
    with pytest.raises(ValidationError) as error:
        parse_numbered_list(PASTED)
    assert "Regel 1 begint niet met een nummer" in error.value.messages[0]

    trends = parse_numbered_list(PASTED.split("\n", 2)[2])
    assert [(t.number, t.title) for t in trends] == [
        (1, "Vertrouwen wordt belangrijker dan meten"), (2, "Fuseren raakt uit de mode"),
        (8, "Social media is booming"), (11, "WIP")]
    assert trends[2].description.startswith("Welzijnswerkers twitteren, bloggen")
    assert trends[1].description == ("er komt een einde aan het fusiegeweld.\n\n"
                                     "De eerste franchiseformule wordt gelanceerd.")


@pytest.mark.parametrize("text,message", [
    ("", "geen genummerde regels"),
    ("1. Een: a\n1. Twee: b", "meer dan eens voor: 1"),
    ("0) Nul: niets", "Nummers beginnen bij 1"),
])
def test_parse_refuses_what_it_cannot_read(text, message):
    with pytest.raises(ValidationError) as error:
        parse_numbered_list(text)
    assert message in " ".join(error.value.messages)


@pytest.mark.django_db
def test_paste_previews_before_saving_then_updates_and_adds(editor_client):
    trend_list = TrendListFactory(year=2010)
    kept = TrendFactory(trend_list=trend_list, number=2, title="Oude titel",
                        outcome=Trend.Outcome.PARTLY, outcome_note="Deels waar.")
    url = reverse("admin:trends_trendlist_paste", args=[trend_list.pk])
    text = PASTED.split("\n", 2)[2]
    preview = editor_client.post(url, {"text": text, "preview": "1"})
    html = preview.content.decode()
    assert "Social media is booming" in html and "vervangt “Oude titel”" in html
    assert html.count(">nieuw<") == 3
    assert Trend.objects.count() == 1  # nothing saved by a preview

    saved = editor_client.post(url, {"text": text, "save": "1"})
    assert saved.status_code == 302
    trends = {t.number: t for t in trend_list.trends.all()}
    assert sorted(trends) == [1, 2, 8, 11]
    assert trends[2].pk == kept.pk and trends[2].title == "Fuseren raakt uit de mode"
    assert trends[2].outcome == Trend.Outcome.PARTLY  # the scoring survives a re-paste


@pytest.mark.django_db
def test_paste_errors_keep_the_text(editor_client):
    trend_list = TrendListFactory()
    url = reverse("admin:trends_trendlist_paste", args=[trend_list.pk])
    response = editor_client.post(url, {"text": "Geen nummer hier", "save": "1"})
    html = response.content.decode()
    assert "Regel 1 begint niet met een nummer" in html
    assert "Geen nummer hier</textarea>" in html
    assert not Trend.objects.exists()


@pytest.mark.django_db
def test_outcome_and_note_are_edited_inline(editor_client):
    trend_list = TrendListFactory()
    trend = TrendFactory(trend_list=trend_list, number=8, title="Social media is booming")
    url = reverse("admin:trends_trendlist_change", args=[trend_list.pk])
    html = editor_client.get(url).content.decode()
    assert "Uitgekomen" in html and "Deels uitgekomen" in html
    response = editor_client.post(url, {
        "year": trend_list.year, "title": trend_list.title, "intro": "",
        "trends-TOTAL_FORMS": "1", "trends-INITIAL_FORMS": "1", "trends-MIN_NUM_FORMS": "0",
        "trends-MAX_NUM_FORMS": "1000", "trends-0-id": trend.pk,
        "trends-0-trend_list": trend_list.pk, "trends-0-number": 8,
        "trends-0-title": trend.title, "trends-0-description": "",
        "trends-0-outcome": "came_true", "trends-0-outcome_note": "Iedereen twittert nu.",
    })
    assert response.status_code == 302
    trend.refresh_from_db()
    assert (trend.outcome, trend.outcome_note) == ("came_true", "Iedereen twittert nu.")
