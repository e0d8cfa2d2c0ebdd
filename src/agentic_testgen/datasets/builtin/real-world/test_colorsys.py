import colorsys

import pytest


def test_pure_red_in_every_model():
    assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    assert colorsys.rgb_to_hls(1.0, 0.0, 0.0) == (0.0, 0.5, 1.0)


def test_grey_has_no_saturation():
    assert colorsys.rgb_to_hsv(0.5, 0.5, 0.5)[1] == 0.0
    assert colorsys.rgb_to_hls(0.5, 0.5, 0.5)[2] == 0.0


@pytest.mark.parametrize("rgb", [(0.2, 0.4, 0.6), (0.9, 0.1, 0.3), (0.1, 0.8, 0.2), (0.7, 0.7, 0.1)])
def test_round_trips(rgb):
    assert colorsys.hsv_to_rgb(*colorsys.rgb_to_hsv(*rgb)) == pytest.approx(rgb)
    assert colorsys.hls_to_rgb(*colorsys.rgb_to_hls(*rgb)) == pytest.approx(rgb)
    assert colorsys.yiq_to_rgb(*colorsys.rgb_to_yiq(*rgb)) == pytest.approx(rgb, abs=1e-6)
