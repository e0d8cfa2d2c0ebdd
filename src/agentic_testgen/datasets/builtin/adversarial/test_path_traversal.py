import pytest
from path_traversal import UnsafePathError, safe_join


def test_plain_relative_path_is_joined():
    assert safe_join("/srv/files", "a/b.txt") == "/srv/files/a/b.txt"


def test_inner_dot_dot_that_stays_inside_is_allowed():
    assert safe_join("/srv/files", "a/../b.txt") == "/srv/files/b.txt"


@pytest.mark.parametrize(
    "attack", ["../../etc/passwd", "a/../../secret", "/etc/shadow", "ok\x00.txt", "..//..//x"]
)
def test_escapes_are_refused(attack):
    with pytest.raises(UnsafePathError):
        safe_join("/srv/files", attack)
