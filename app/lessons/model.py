"""Lessons: YAML files in ``lessons/``, read into plain records and validated (no Dash here).

A lesson is a title, a summary and a list of steps. A step has a ``prompt``, a ``scene`` (the
link's settings as a mapping, e.g. ``{surface: paraboloid, opt: sgd, sgd.lr: 0.01}``), the panel
groups it ``lock``s or ``hide``s, and optionally a prediction ``question`` the student answers
before the run is revealed. A question's right answer is either stated (``answer``: the index of
a choice) or, better, computed from the run itself (``check``), so it can never disagree with
what the charts show:

* ``outcome:RULE``: how RULE's run ends; choices mean converged, not_converged, diverged or left_view;
* ``first_converged``: which optimizer settles first; choices mean an optimizer or ``none``;
* ``lowest_loss``: which optimizer ends lowest; choices mean an optimizer.

Every text (title, summary, prompt, question, choice, explanation) is either plain text (English) or
a mapping with one entry per language, ``{en: ..., de: ...}`` (``i18n.LANGS``); the page shows the
reader's language (``Text.local``), English where a language is missing. The shipped lessons carry
every language (tests/test_lessons.py).

The lesson's link is ``?lesson=ID&lstep=N`` (N from 1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import yaml

import i18n
from analysis.outcomes import Outcome, run_scene
from app.state.link import query_to_scene
from app.state.scene import HIDEABLE, Scene
from i18n import _

LESSON_DIR = Path(__file__).resolve().parents[2] / "lessons"
MAX_FILE = 100_000  # bytes
OUTCOMES = ("converged", "not_converged", "diverged", "left_view")
CHECKS = ("first_converged", "lowest_loss")


class LessonError(ValueError):
    """A lesson file that cannot be used, with where and why."""


class Text(str):
    """A lesson's text: the English as the string itself, every language's in ``langs``."""

    langs: dict[str, str]

    def __new__(cls, langs: dict[str, str]) -> Text:
        text = super().__new__(cls, langs[i18n.DEFAULT])
        text.langs = dict(langs)
        return text

    def local(self) -> str:
        """The text in the current language (``i18n.current``), else the English."""
        return self.langs.get(i18n.current()) or str(self)


def local(text: str) -> str:
    """``text`` in the current language (a ``Text``), or as it is (plain text)."""
    return text.local() if isinstance(text, Text) else text


@dataclass(frozen=True)
class Choice:
    text: Text
    means: str = ""


@dataclass(frozen=True)
class Question:
    text: Text
    choices: tuple[Choice, ...]
    check: str = ""
    answer: int | None = None
    explain: str = ""


@dataclass(frozen=True)
class Step:
    title: Text
    prompt: Text
    query: str
    lock: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    question: Question | None = None


@dataclass(frozen=True)
class Lesson:
    id: str
    title: Text
    summary: Text
    steps: tuple[Step, ...]


def _words(value, where: str) -> Text:
    """Plain text (English) or ``{en: ..., de: ...}`` as a ``Text``."""
    if isinstance(value, str):
        return Text({i18n.DEFAULT: value.strip()})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise LessonError(f"{where} must be text or a mapping of languages ({', '.join(i18n.LANGS)}) to text")
    if any(k not in i18n.LANGS for k in value) or not str(value.get(i18n.DEFAULT, "")).strip():
        raise LessonError(f"{where}: the languages are {', '.join(i18n.LANGS)} (English required); got {list(value)}")
    return Text({k: v.strip() for k, v in value.items()})


def _text(data: dict, key: str, where: str, required: bool = True) -> Text:
    value = _words(data.get(key, ""), f"{where}: '{key}'")
    if required and not value.strip():
        raise LessonError(f"{where}: '{key}' must be non-empty text")
    return value


def _names(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v in HIDEABLE for v in value):
        raise LessonError(f"{where}: '{key}' must be a list of: {', '.join(HIDEABLE)}")
    return tuple(value)


def _question(data, scene: Scene, where: str) -> Question:
    if not isinstance(data, dict):
        raise LessonError(f"{where}: 'question' must be a mapping")
    raw = data.get("choices")
    if not isinstance(raw, list) or len(raw) < 2:
        raise LessonError(f"{where}: a question needs a list of at least two choices")
    choices = []
    for c in raw:
        if isinstance(c, str):
            choices.append(Choice(_words(c, f"{where}: a choice")))
        elif isinstance(c, dict) and isinstance(c.get("text"), (str, dict)):
            choices.append(Choice(_words(c["text"], f"{where}: a choice"), str(c.get("means", ""))))
        else:
            raise LessonError(f"{where}: each choice is text or {{text: ..., means: ...}}")
    check = data.get("check", "")
    answer = data.get("answer")
    if not isinstance(check, str):
        raise LessonError(f"{where}: 'check' must be text")
    if answer is not None and not (isinstance(answer, int) and 0 <= answer < len(choices)):
        raise LessonError(f"{where}: 'answer' must be the index of a choice (0 to {len(choices) - 1})")
    if not check and answer is None:
        raise LessonError(f"{where}: a question needs 'check' (computed) or 'answer' (stated)")
    if check:
        kind, _sep, rule = check.partition(":")
        allowed = set(scene.rules) | {"none"}
        if kind == "outcome":
            if rule not in scene.rules:
                raise LessonError(f"{where}: check {check!r} names an optimizer that is not in the scene")
            allowed = set(OUTCOMES)
        elif check not in CHECKS:
            raise LessonError(f"{where}: check must be outcome:RULE, {' or '.join(CHECKS)}; got {check!r}")
        bad = [c.means for c in choices if c.means not in allowed]
        if bad:
            raise LessonError(f"{where}: choices must mean one of {sorted(allowed)}; got {bad}")
    return Question(_text(data, "text", where), tuple(choices), check, answer, _text(data, "explain", where, False))


def parse_lesson(lesson_id: str, data) -> Lesson:
    """Validate a lesson's parsed YAML; every step's scene must load without a single notice."""
    if not isinstance(data, dict):
        raise LessonError(f"{lesson_id}: a lesson is a mapping with title, summary and steps")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise LessonError(f"{lesson_id}: 'steps' must be a non-empty list")
    steps = []
    for i, s in enumerate(raw_steps, start=1):
        where = f"{lesson_id}, step {i}"
        if not isinstance(s, dict):
            raise LessonError(f"{where}: a step is a mapping")
        settings = s.get("scene", {})
        if not isinstance(settings, dict) or not all(isinstance(v, (str, int, float)) for v in settings.values()):
            raise LessonError(f"{where}: 'scene' maps the link's settings to values")
        query = urlencode({str(k): str(v) for k, v in settings.items()}, safe=",:")
        scene, notices = query_to_scene(query)
        if notices:
            raise LessonError(f"{where}: the scene's settings were changed: {'; '.join(notices)}")
        question = _question(s["question"], scene, where) if "question" in s else None
        steps.append(
            Step(
                title=_text(s, "title", where, False) or Text({"en": f"Step {i}", "de": f"Schritt {i}"}),
                prompt=_text(s, "prompt", where),
                query=query,
                lock=_names(s, "lock", where),
                hide=_names(s, "hide", where),
                question=question,
            )
        )
    return Lesson(lesson_id, _text(data, "title", lesson_id), _text(data, "summary", lesson_id, False), tuple(steps))


def load_file(path: Path) -> Lesson:
    """Read and validate one lesson file (YAML, or JSON, which is YAML too)."""
    if path.stat().st_size > MAX_FILE:
        raise LessonError(f"{path.name}: larger than {MAX_FILE:,} bytes")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise LessonError(f"{path.name}: not valid YAML: {err}") from None
    return parse_lesson(path.stem, data)


@lru_cache(maxsize=1)
def catalog() -> dict[str, Lesson]:
    """Every lesson in ``LESSON_DIR``, by id (the file name without its suffix)."""
    files = sorted([*LESSON_DIR.glob("*.yaml"), *LESSON_DIR.glob("*.yml"), *LESSON_DIR.glob("*.json")])
    return {p.stem: load_file(p) for p in files}


def step_scene(lesson: Lesson, index: int, outer: Scene | None = None) -> Scene:
    """Step ``index``'s scene with its locks and hidden groups; ``outer`` keeps the page's theme,
    embed flag and hidden groups (an embedding course site's choice)."""
    step = lesson.steps[index]
    scene, _notices = query_to_scene(step.query)
    outer = outer or Scene()
    hide = tuple(dict.fromkeys((*step.hide, *outer.hide)))
    return replace(
        scene, lock=step.lock, hide=hide, theme=outer.theme, embed=outer.embed, lesson=lesson.id, lesson_step=index
    )


def find(scene: Scene) -> tuple[Lesson | None, int, list[str]]:
    """The lesson and step a scene's link names, with notices for what could not be found."""
    if not scene.lesson:
        return None, 0, []
    lesson = catalog().get(scene.lesson)
    if lesson is None:
        there = _("There is no lesson {name}; the lessons are: {names}.")
        return None, 0, [there.format(name=repr(scene.lesson), names=", ".join(catalog()))]
    if not 0 <= scene.lesson_step < len(lesson.steps):
        steps = _("Lesson {title} has steps 1 to {n}; showing step 1.")
        return lesson, 0, [steps.format(title=repr(lesson.title.local()), n=len(lesson.steps))]
    return lesson, scene.lesson_step, []


def lesson_link(lesson: Lesson, index: int) -> str:
    return "?" + urlencode({"lesson": lesson.id, "lstep": index + 1})


def computed_meaning(lesson: Lesson, index: int) -> str:
    """What the run itself says is the answer (the ``means`` of the right choice)."""
    q = lesson.steps[index].question
    scene = step_scene(lesson, index)
    outcomes = run_scene(replace(scene, ensemble=0))
    kind, _sep, rule = q.check.partition(":")
    if kind == "outcome":
        return outcome_of(outcomes[rule])
    if q.check == "first_converged":
        done = {r: o.converged_at for r, o in outcomes.items() if o.converged_at is not None}
        return min(done, key=done.get) if done else "none"
    losses = {r: o.final_loss for r, o in outcomes.items() if o.result.diverged_at is None}
    return min(losses, key=losses.get) if losses else "none"


def outcome_of(o: Outcome) -> str:
    if o.result.diverged_at is not None:
        return "diverged"
    if o.left_view_at is not None:
        return "left_view"
    return "converged" if o.converged_at is not None else "not_converged"


def right_choice(lesson: Lesson, index: int) -> int:
    """The index of the right choice: computed from the run when the question has a check."""
    q = lesson.steps[index].question
    if not q.check:
        return q.answer
    meaning = computed_meaning(lesson, index)
    for i, c in enumerate(q.choices):
        if c.means == meaning:
            return i
    raise LessonError(f"no choice means {meaning!r}, which is what the run does")
