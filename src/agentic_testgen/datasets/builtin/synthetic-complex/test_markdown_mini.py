import pytest
from markdown_mini import inline, render


def test_inline_formats_and_escapes():
    assert inline("**a** *b* `<c>`") == "<strong>a</strong> <em>b</em> <code>&lt;c&gt;</code>"


def test_render_heading_paragraph_and_list():
    text = "# Title\n\nSome *text*\nmore\n\n- one\n- two\n"
    assert render(text) == (
        "<h1>Title</h1>\n<p>Some <em>text</em> more</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


def test_too_deep_heading_is_rejected():
    with pytest.raises(ValueError):
        render("####### seven")
