import empty_module


def test_version_is_a_three_part_tuple():
    assert empty_module.VERSION == (1, 4, 2)


def test_name():
    assert empty_module.NAME == "empty"
