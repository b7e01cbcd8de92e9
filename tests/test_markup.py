"""The HTML text of the cell-heavy panels (app.runs.markup): every value escaped, one block."""

from app.runs.markup import markdown_block, tag, text
from app.runs.summary import swatch_html


def test_text_and_attributes_are_escaped_so_no_value_brings_its_own_markup():
    hostile = '<img src=x onerror="alert(1)">&\n<script>'
    html = tag("td", text(hostile), title=hostile, class_="a b")
    assert "<img" not in html and "<script" not in html and "\n" not in html
    assert html == (
        '<td title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp; &lt;script&gt;" class="a b">'
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp; &lt;script&gt;</td>"
    )


def test_styles_are_written_as_css_and_the_block_is_one_markdown_component():
    assert tag("b", "x", style={"verticalAlign": "middle", "color": "#0072B2"}, aria_hidden="true", id=None) == (
        '<b style="vertical-align:middle;color:#0072B2" aria-hidden="true">x</b>'
    )
    assert 'style="display:inline-block;' in swatch_html("adam") and "background:#" in swatch_html("adam")
    block = markdown_block(tag("p", text("a")), className="k")
    assert block == {
        "props": {"children": "<div><p>a</p></div>", "dangerously_allow_html": True, "className": "k"},
        "type": "Markdown",
        "namespace": "dash_core_components",
    }
