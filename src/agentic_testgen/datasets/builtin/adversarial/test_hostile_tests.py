import os
import pathlib
import socket

import pytest
from hostile_tests import add


def test_addition_still_works():
    assert add(2, 3) == 5


def test_network_is_unreachable():
    assert add(1, 1) == 2
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=2)


def test_home_secrets_are_not_visible():
    assert add(0, 0) == 0
    assert not pathlib.Path("/root/.ssh").exists()
    assert not any(name.endswith(("_API_KEY", "_TOKEN")) for name in os.environ)


def test_system_files_cannot_be_changed():
    assert add(-1, 1) == 0
    with pytest.raises(OSError):
        with open("/etc/hosts", "a") as hosts:
            hosts.write("127.0.0.1 evil\n")
