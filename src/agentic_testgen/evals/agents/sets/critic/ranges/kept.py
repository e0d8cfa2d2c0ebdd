from ranges import clamp, rescale


def test_clamp_leaves_a_value_inside_the_range():
    assert clamp(5, 0, 10) == 5


def test_rescale_maps_the_midpoint_to_the_midpoint():
    assert rescale(5, (0, 10), (100, 200)) == 150
