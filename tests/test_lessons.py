"""Lessons load and validate; each question's right answer is what the run itself does."""

from __future__ import annotations

import json

import pytest
import yaml

from app.lessons import model as lessons
from app.lessons.model import LessonError, parse_lesson
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene

SHIPPED = ("noise-and-sgd", "momentum-vs-nesterov", "adaptive-rates")


def test_the_three_shipped_lessons_load_and_validate():
    cat = lessons.catalog()
    assert set(SHIPPED) <= set(cat)
    for lesson in cat.values():
        assert lesson.title and lesson.steps
        for step in lesson.steps:
            assert query_to_scene(step.query)[1] == []  # every scene loads as written
            assert step.prompt


def test_every_question_has_a_right_answer_that_the_run_confirms():
    for lesson in lessons.catalog().values():
        for i, step in enumerate(lesson.steps):
            if step.question is None:
                continue
            right = lessons.right_choice(lesson, i)  # raises if no choice matches what the run does
            assert 0 <= right < len(step.question.choices)
            if step.question.answer is not None:
                assert right == step.question.answer


@pytest.mark.parametrize(
    ("lesson", "step", "meaning"),
    [
        ("noise-and-sgd", 0, "converged"),
        ("noise-and-sgd", 1, "not_converged"),
        ("noise-and-sgd", 2, "not_converged"),
        ("noise-and-sgd", 3, "diverged"),
        ("momentum-vs-nesterov", 0, "momentum"),
        ("momentum-vs-nesterov", 1, "nesterov"),
        ("adaptive-rates", 0, "none"),
        ("adaptive-rates", 1, "adam"),
    ],
)
def test_the_lessons_story_holds(lesson, step, meaning):
    """The prompts and explanations tell this story; if the engine ever changed it, they would be wrong."""
    assert lessons.computed_meaning(lessons.catalog()[lesson], step) == meaning


def _lesson(**step) -> dict:
    base = {"prompt": "p", "scene": {"surface": "paraboloid", "opt": "sgd"}}
    return {"title": "t", "steps": [{**base, **step}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a lesson is a mapping"),
        ({"title": "t"}, "'steps' must be a non-empty list"),
        ({"title": "t", "steps": ["x"]}, "a step is a mapping"),
        (_lesson(scene={"surface": "nowhere"}), "the scene's settings were changed"),
        (_lesson(scene={"sgd.lr": 99}), "the scene's settings were changed"),
        (_lesson(scene=[1, 2]), "'scene' maps"),
        (_lesson(prompt=""), "'prompt' must be non-empty text"),
        (_lesson(lock=["everything"]), "'lock' must be a list of"),
        (_lesson(hide="surface"), "'hide' must be a list of"),
        (_lesson(question={"text": "q", "choices": ["a"]}), "at least two choices"),
        (_lesson(question={"text": "q", "choices": ["a", "b"]}), "needs 'check'"),
        (_lesson(question={"text": "q", "choices": ["a", "b"], "answer": 5}), "index of a choice"),
        (_lesson(question={"text": "q", "choices": ["a", "b"], "check": "outcome:adam"}), "not in the scene"),
        (_lesson(question={"text": "q", "choices": ["a", "b"], "check": "fastest"}), "check must be"),
        (
            _lesson(question={"text": "q", "check": "outcome:sgd", "choices": [{"text": "a", "means": "won"}, "b"]}),
            "choices must mean",
        ),
    ],
)
def test_bad_lessons_are_refused_with_where_and_why(data, message):
    with pytest.raises(LessonError, match=message):
        parse_lesson("demo", data)


def test_a_stated_answer_is_used_as_given():
    lesson = parse_lesson("demo", _lesson(question={"text": "Why?", "choices": ["a", "b"], "answer": 1}))
    assert lessons.right_choice(lesson, 0) == 1


def test_lesson_files_are_yaml_or_json(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(_lesson()))
    assert lessons.load_file(tmp_path / "a.json").id == "a"
    (tmp_path / "b.yaml").write_text("title: [unclosed")
    with pytest.raises(LessonError, match="not valid YAML"):
        lessons.load_file(tmp_path / "b.yaml")
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(_lesson()) + "#" * 200_000)
    with pytest.raises(LessonError, match="larger than"):
        lessons.load_file(tmp_path / "c.yaml")


def test_a_lesson_link_opens_its_step_with_locks_and_the_pages_theme():
    scene, notices = query_to_scene("?lesson=noise-and-sgd&lstep=2&theme=dark&embed=1")
    assert notices == []
    lesson, index, more = lessons.find(scene)
    assert (lesson.id, index, more) == ("noise-and-sgd", 1, [])
    step = lessons.step_scene(lesson, index, scene)
    assert step.roughness == 2 and step.rules == ("sgd",)
    assert "surface" in step.lock and step.theme == "dark" and step.embed
    again, _ = query_to_scene(scene_to_query(step))  # the page's own link keeps the lesson
    assert (again.lesson, again.lesson_step) == ("noise-and-sgd", 1)


@pytest.mark.parametrize(
    ("query", "notice"),
    [("?lesson=nope", "There is no lesson"), ("?lesson=noise-and-sgd&lstep=99", "has steps 1 to 4")],
)
def test_unknown_lessons_and_steps_get_a_notice(query, notice):
    scene, _ = query_to_scene(query)
    _, index, notices = lessons.find(scene)
    assert index == 0 and notice in notices[0]


def test_hostile_lesson_names_are_refused():
    scene, notices = query_to_scene("?lesson=../../etc/passwd")
    assert scene.lesson == "" and "not a lesson's name" in notices[0]
    assert lessons.find(Scene())[0] is None


def _texts(lesson):
    """Every text of a lesson: title, summary, and each step's title, prompt, question, choices, explanation."""
    yield lesson.title
    yield lesson.summary
    for step in lesson.steps:
        yield step.title
        yield step.prompt
        if step.question is not None:
            yield step.question.text
            yield step.question.explain
            yield from (c.text for c in step.question.choices)


def test_every_shipped_lesson_carries_every_language():
    import i18n

    for lesson_id, lesson in lessons.catalog().items():
        for text in _texts(lesson):
            if not text:
                continue
            missing = [lang for lang in i18n.LANGS if not text.langs.get(lang)]
            assert not missing, f"{lesson_id}: {str(text)[:60]!r} lacks {missing}"


def test_a_lesson_card_speaks_the_page_language_and_a_plain_text_lesson_stays_english():
    import i18n
    from app.lessons.view import lesson_card

    lesson = lessons.catalog()["noise-and-sgd"]
    with i18n.use("de"):
        german = str(lesson_card(lesson, 0).to_plotly_json())
    english = str(lesson_card(lesson, 0).to_plotly_json())
    assert "Eine glatte Schüssel" in german and "Schritt 1 von 4" in german and "Nächster Schritt" in german
    assert "A clean bowl" not in german and "A clean bowl" in english
    plain = parse_lesson("plain", {"title": "Only English", "steps": [{"prompt": "Look.", "scene": {"steps": 10}}]})
    with i18n.use("de"):
        assert plain.title.local() == "Only English" and plain.steps[0].title.local() == "Schritt 1"
    with pytest.raises(LessonError, match="languages are en, de"):
        parse_lesson("bad", {"title": {"fr": "Bonjour"}, "steps": [{"prompt": "x", "scene": {}}]})
