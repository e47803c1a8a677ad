"""The words a study's folder gives the pages, to look for where they must not be: in the site's own text
(dashboards/text.py) or on another study's pages."""

from __future__ import annotations

import re

from instruments.vocabulary import LANGUAGES


def study_words(study, every_framework: bool = True) -> dict[str, set[tuple[str, bool]]]:
    """Per language, each word and whether only its exact case counts: who answers each instrument, the
    breakdowns, the dimensions (title and lowered; of every imported framework, or the study's own only) and the
    subjects in any case; the answer labels of the breakdowns (areas, education levels...) as written: "Anders"
    (other) is a category, "anders" (otherwise) a Dutch word of the site's own."""
    texts = [role.respondents for role in study.instruments if role.respondents]
    texts += [b.title for b in study.breakdowns.values()]
    frameworks = study.frameworks.values() if every_framework else [study.framework]
    for framework in frameworks:
        texts += [d.labels for d in framework.dimensions] + [d.words for d in framework.dimensions]
    answers = []
    for wave in study.waves:
        texts += [labels for name in study.lists for labels in study.subjects(name, wave).values()]
        for role in study.instruments:
            instrument = study.instrument(role.name, wave)
            for column in set(study.breakdown_columns.values()):
                if any(q.code == column for q in instrument.questions):
                    answers += [a.labels for a in instrument.question(column).answer_options()]
    words: dict[str, set[tuple[str, bool]]] = {lang: set() for lang in LANGUAGES}
    for labels, exact in [*((x, False) for x in texts), *((x, True) for x in answers)]:
        for lang in LANGUAGES:
            words[lang].add((labels[lang], exact))
    return words


def found(words: set[tuple[str, bool]], text: str) -> list[str]:
    """The words that occur in ``text`` as whole words."""
    return sorted(word for word, exact in words
                  if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, 0 if exact else re.IGNORECASE))
