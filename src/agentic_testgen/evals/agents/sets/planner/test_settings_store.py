from pathlib import Path

from settings_store import config_home, load


def test_an_absolute_xdg_config_home_wins():
    environ = {"XDG_CONFIG_HOME": "/srv/config", "HOME": "/srv/users/ann"}
    assert config_home(environ) == Path("/srv/config")


def test_without_xdg_config_home_it_is_under_home():
    assert config_home({"HOME": "/srv/users/ann"}) == Path("/srv/users/ann/.config")


def test_a_missing_file_holds_no_settings(tmp_path):
    assert load(tmp_path / "settings.json") == {}


def test_a_file_holds_its_settings(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark"}', encoding="utf-8")
    assert load(path) == {"theme": "dark"}
