"""Fixtures of the server tests; the helpers they use are in serverkit.py."""
import pytest

from serverkit import start_server


@pytest.fixture(scope="module")
def server():
    """(base URL, Popen, log path) of one server shared by a test module."""
    with start_server("sessions") as started:
        yield started
