"""The trend scoreboard: how a year's predictions turned out, verdicts first."""

import pytest

from tests.factories import TrendFactory, TrendListFactory
from trends.models import Trend, TrendList

pytestmark = pytest.mark.django_db

Outcome = Trend.Outcome


def make_list(year, outcomes):
    trend_list = TrendListFactory(year=year)
    for number, outcome in enumerate(outcomes, start=1):
        TrendFactory(trend_list=trend_list, number=number, outcome=outcome)
    return trend_list


def as_pairs(scoreboard):
    return [(score["value"], score["count"]) for score in scoreboard]


def test_with_scoreboard_counts_every_list_in_one_query(django_assert_num_queries):
    make_list(2010, [Outcome.OPEN, Outcome.CAME_TRUE, Outcome.DID_NOT, Outcome.CAME_TRUE,
                     Outcome.PARTLY, Outcome.OPEN, Outcome.OPEN])
    make_list(2011, [Outcome.PARTLY, Outcome.PARTLY])
    make_list(2012, [])
    with django_assert_num_queries(1):
        lists = {tl.year: tl for tl in TrendList.objects.with_scoreboard()}
        boards = {year: as_pairs(tl.scoreboard) for year, tl in lists.items()}
    assert [lists[y].trend_count for y in (2010, 2011, 2012)] == [7, 2, 0]
    assert boards[2010] == [("came_true", 2), ("partly", 1), ("did_not", 1), ("open", 3)]
    assert boards[2011] == [("came_true", 0), ("partly", 2), ("did_not", 0), ("open", 0)]
    assert boards[2012] == [("came_true", 0), ("partly", 0), ("did_not", 0), ("open", 0)]


def test_scoreboard_carries_the_dutch_labels_in_verdict_order():
    trend_list = make_list(2010, [Outcome.OPEN, Outcome.DID_NOT])
    scoreboard = TrendList.objects.with_scoreboard().get(pk=trend_list.pk).scoreboard
    assert [score["label"] for score in scoreboard] == [
        "Uitgekomen", "Deels uitgekomen", "Niet uitgekomen", "Nog open"]


def test_a_list_fetched_without_the_counts_counts_in_one_query(django_assert_num_queries):
    trend_list = make_list(2010, [Outcome.CAME_TRUE, Outcome.OPEN, Outcome.OPEN])
    make_list(2011, [Outcome.DID_NOT])
    plain = TrendList.objects.get(pk=trend_list.pk)
    with django_assert_num_queries(1):
        assert as_pairs(plain.scoreboard) == [
            ("came_true", 1), ("partly", 0), ("did_not", 0), ("open", 2)]
    assert plain.scoreboard == TrendList.objects.with_scoreboard().get(
        pk=trend_list.pk).scoreboard
