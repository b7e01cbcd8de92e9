"""The embed snippet: the scene's link in an iframe, with the chosen size, theme and parts."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from app.embed.snippet import DEFAULT_ORIGIN, page_url, snippet
from app.state.link import query_to_scene
from app.state.scene import HIDEABLE

QUERY = "?surface=rosenbrock&steps=500&opt=adam,sgd&seed=0&lesson=noise-and-sgd&lstep=2&lock=surface"


def _src(code: str) -> str:
    return html.unescape(code.split('src="', 1)[1].split('"', 1)[0])


def test_snippet_embeds_the_scene_with_the_chosen_parts():
    code, src, notices = snippet("https://course.example/app/?x=1", QUERY, 80, "%", 600, "dark", ["playback"], False)
    assert notices == []
    assert code.startswith("<iframe ") and code.endswith("></iframe>")
    assert 'width="80%"' in code and 'height="600"' in code and "title=" in code
    assert _src(code) == src and src.startswith("https://course.example/app/?")
    scene, more = query_to_scene(urlsplit(src).query)
    assert more == []
    assert scene.embed and scene.theme == "dark" and scene.surface == "rosenbrock"
    assert set(scene.hide) == set(HIDEABLE) - {"playback"}
    assert scene.lesson == "" and scene.lock == ()  # free exploration
    assert not scene.panel  # only the playback bar: no control panel beside the charts


def test_lesson_mode_keeps_the_lesson_and_its_step():
    _, src, _ = snippet("http://localhost:8050/", QUERY, 900, "px", 700, "light", list(HIDEABLE), True)
    scene, _ = query_to_scene(urlsplit(src).query)
    assert (scene.lesson, scene.lesson_step) == ("noise-and-sgd", 1)
    assert scene.hide == () and scene.panel


def test_sizes_are_clamped_with_a_notice():
    code, _, notices = snippet("http://h/", "", 10**9, "px", "tall", "light", [], False)
    assert 'width="3000"' in code and 'height="720"' in code
    assert len(notices) == 2


def test_only_http_addresses_are_used_as_the_origin():
    assert page_url("javascript:alert(1)") == DEFAULT_ORIGIN
    assert page_url(None) == DEFAULT_ORIGIN
    assert page_url("https://a.example:8443/x/?q#f") == "https://a.example:8443/x/"


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.none(), st.text(max_size=60)),
    st.one_of(st.none(), st.text(max_size=200)),
    st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5)),
    st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5)),
    st.one_of(st.none(), st.text(max_size=8)),
    st.one_of(st.none(), st.lists(st.text(max_size=12), max_size=10)),
)
def test_any_input_gives_a_well_formed_snippet(href, query, width, height, theme, shown):
    code, src, _ = snippet(href, query, width, "%", height, theme, shown, True)
    assert code.count("<iframe") == 1 and code.count('"') == 14  # seven attributes, no quote escaped the src
    assert "<" not in src and '"' not in src


def test_the_embed_snippet_can_ask_for_projector_mode():
    from app.embed.snippet import snippet

    _, src, _ = snippet("http://h/", "?steps=50", 100, "%", 720, "light", [], False, present=True)
    assert "present=1" in src and "embed=1" in src
    assert "present=1" not in snippet("http://h/", "?steps=50&present=1", 100, "%", 720, "light", [], False)[1]
