from versions import Version


def test_a_version_is_parsed():
    assert Version.parse("v1.2.3") == Version(1, 2, 3)


def test_a_pre_release_is_written_after_a_dash():
    assert str(Version.parse("2.0.0-rc.1")) == "2.0.0-rc.1"


def test_a_release_is_written_without_a_dash():
    assert str(Version(1, 0, 0)) == "1.0.0"


def test_versions_compare_by_their_numbers():
    assert Version(1, 2, 3) < Version(1, 10, 0)


def test_a_minor_bump_resets_the_patch():
    assert Version(1, 2, 3).bump("minor") == Version(1, 3, 0)


def test_a_major_bump_resets_minor_and_patch():
    assert Version(1, 2, 3).bump("major") == Version(2, 0, 0)


def test_a_zero_version_is_stable():
    # written when 0.x releases counted as stable: stale, it fails now
    assert Version(0, 9, 0).is_stable()
