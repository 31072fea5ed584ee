"""/favicon.ico, asked for by browsers showing API JSON or a download, and by crawlers."""

import pytest


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_favicon_is_an_empty_cached_404_that_touches_no_table(
    client, reporter, django_assert_num_queries, signed_in
):
    if signed_in:
        client.force_login(reporter)
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 404
    assert response.content == b""
    assert response["Cache-Control"] == "public, max-age=86400"
