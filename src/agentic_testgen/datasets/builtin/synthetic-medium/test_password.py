from password import problems, strength


def test_strong_password_has_no_problems():
    assert problems("S3cure!pass") == []
    assert strength("S3cure!pass") == "strong"


def test_short_password_is_reported():
    assert "shorter than 8 characters" in problems("Ab1!")


def test_weak_password():
    assert strength("abc") == "weak"
