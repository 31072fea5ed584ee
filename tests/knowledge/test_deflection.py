"""Reads, answers and reports filed right after reading are counted per article, and the
reports page and the metrics API show which articles deflect."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge import reading
from knowledge.models import ArticleViews, ReportAfterReading

pytestmark = pytest.mark.django_db
REPORT = reverse("portal:report")


def test_a_visit_counts_one_view_however_often_the_page_is_reloaded(client, make_article):
    article = make_article()
    for _ in range(3):
        client.get(article.get_absolute_url())
    assert ArticleViews.objects.get(article=article).views == 1


def test_a_report_filed_after_reading_is_counted_against_the_article(
    alice, make_article, report_data
):
    read, unread = make_article("Read one"), make_article("Unread one")
    alice.get(read.get_absolute_url())
    alice.post(REPORT, {**report_data, "confirm_new": "1"})
    row = ReportAfterReading.objects.get()
    assert row.article == read and row.incident.title == report_data["title"]
    assert not ReportAfterReading.objects.filter(article=unread).exists()


def test_a_read_more_than_thirty_minutes_ago_does_not_count(alice, make_article, report_data):
    article = make_article()
    alice.get(article.get_absolute_url())
    session = alice.session
    long_ago = timezone.now() - reading.READ_WINDOW - timedelta(minutes=1)
    session[reading.READ_KEY] = {str(article.pk): long_ago.isoformat()}
    session.save()
    alice.post(REPORT, {**report_data, "confirm_new": "1"})
    assert not ReportAfterReading.objects.exists()


def test_a_garbled_session_never_breaks_a_report(alice, report_data):
    session = alice.session
    session[reading.READ_KEY] = {"x": "yesterday", "1": None}
    session.save()
    assert alice.post(REPORT, {**report_data, "confirm_new": "1"}).status_code == 302


@pytest.fixture
def figures(client_for, make_article, reporter, report_data):
    """ "Good" is read by three, two say yes; "Bad" is read by two, both report anyway."""
    good, bad = make_article("Good article"), make_article("Bad article")
    for helpful in ("yes", "yes", "no"):
        reader = client_for()
        reader.get(good.get_absolute_url())
        reader.post(f"{good.get_absolute_url()}feedback/", {"helpful": helpful})
    for _ in range(2):
        reader = client_for(reporter)
        reader.get(bad.get_absolute_url())
        reader.post(REPORT, {**report_data, "confirm_new": "1"})
    return good, bad


def test_the_reports_page_shows_which_articles_deflect(client_for, manager, figures):
    page = client_for(manager).get(reverse("admin:reports")).content.decode()
    assert "which articles deflect" in page
    good_at, bad_at = page.index("Good article"), page.index("Bad article")
    assert good_at < bad_at  # the best deflector first
    row = page[bad_at : page.index("</tr>", bad_at)]
    assert "<td>2</td><td>0</td><td>0</td><td>2</td>" in row.replace("\n", "")
    assert "does not deflect" in row


def test_the_metrics_api_gives_the_figures_per_article(client_for, manager, figures):
    body = client_for(manager).get(reverse("api-article-metrics")).json()
    rows = {row["title"]: row for row in body["articles"]}
    assert rows["Good article"] | {} == {
        **rows["Good article"],
        "views": 3,
        "yes": 2,
        "no": 1,
        "reports_after_reading": 0,
        "deflection_pct": 100.0,
        "helpful_pct": 66.7,
    }
    assert rows["Bad article"]["views"] == 2
    assert rows["Bad article"]["reports_after_reading"] == 2
    assert rows["Bad article"]["deflection_pct"] == 0.0


def test_end_users_cannot_read_the_article_metrics(alice):
    assert alice.get(reverse("api-article-metrics")).status_code == 403
