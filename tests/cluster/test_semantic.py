import socket

import numpy as np
import pytest

from storyline.cluster import semantic


def test_loads_from_its_package_without_touching_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was touched")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    semantic._model.cache_clear()
    vectors = semantic.embed(["Senate passes infrastructure bill", "Senate approves the roads and bridges package", ""])
    assert vectors.shape == (3, semantic.DIMENSIONS)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[2].any()  # an empty text has no direction


def test_reports_of_one_event_are_nearer_than_another_event():
    a, b, c = semantic.embed(
        ["Senate passes infrastructure bill", "Senators approve roads and bridges package", "CDC issues new mask guidance"]
    )
    assert a @ b > a @ c + 0.2
