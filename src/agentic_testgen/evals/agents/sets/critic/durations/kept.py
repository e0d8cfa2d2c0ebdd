from durations import parse_duration


def test_hours_and_minutes_parse_to_seconds():
    assert parse_duration("1h30m") == 5400
