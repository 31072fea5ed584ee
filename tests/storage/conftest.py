"""Storage tests run against a real S3-compatible server (tests/fixtures/s3.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.fixtures.s3 import s3_bucket, s3_client, s3_server, s3_settings, s3_storage  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def png():
    def make(name="screen.png", content=PNG):
        return SimpleUploadedFile(name, content, content_type="image/png")

    return make


@pytest.fixture
def client_for(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
