"""The registries' words for the catalog: what the optimizers and surfaces say about themselves.

The optimizer groups' headings (``optimizers.rule.GROUPS``), each rule's one-line ``blurb``, its
inspector words (``slot_words``) and stop reasons, each hyperparameter's ``help`` and each
surface's ``description`` live beside their code in English. ``extract`` is a Babel extraction
method (babel.cfg) that hands them to ``pybabel extract`` as messages, so the catalog follows the
registries with no copy of their text; the page shows ``_(text)`` (``i18n.gettext`` of the English).
"""

from __future__ import annotations

from collections.abc import Iterator


def messages() -> list[str]:
    """Every registry text a reader sees, in a stable order, without repeats."""
    import landscapes
    import optimizers
    from optimizers.rule import GROUPS
    from optimizers.schedules import KINDS

    texts: list[str] = list(GROUPS.values())
    for rule in optimizers.RULES.values():
        texts += [rule.blurb, *rule.slot_words.values(), *rule.stops.values(), *_derived_words(rule)]
    texts += [spec.help for spec in optimizers.SPECS.values()]
    texts += [landscapes.get(name).description for name in landscapes.NAMES]
    texts += [words for label, a, _a, b, _b, _torch in KINDS.values() for words in (label, a, b)]
    return [t for t in dict.fromkeys(texts) if t]


def _derived_words(rule) -> list[str]:
    """The labels of the inspector rows a rule derives from its state (``Rule.derived``), read by
    calling it on a state of ones after three updates."""
    if rule.derived is None:
        return []
    import numpy as np

    state = {slot: np.ones(2) for slot in rule.slots} | {"step": np.full(1, 3.0)}
    return [label for label, _value in rule.derived(state, dict(rule.defaults))]


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extraction method signature: (line, function, message, comments) per message."""
    del fileobj, keywords, comment_tags, options
    for text in messages():
        yield 1, "_", text, []
