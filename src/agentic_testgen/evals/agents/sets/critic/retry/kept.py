from retry import backoff_delays


def test_delays_double_from_the_base():
    assert backoff_delays(4, base=1) == [1, 2, 4]
