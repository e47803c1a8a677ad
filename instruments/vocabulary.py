"""The study's words, defined once: languages, accessibility dimensions and breakdowns (DOMAIN.md sections 2
and 3). The questionnaires, the indicators and the dashboards import them from here, so a word cannot mean
one thing in one stage and another in the next. Plain constants only: every layer may import this module."""

# The languages of the questionnaires and of every published text.
LANGUAGES = ("nl", "fr", "en")
# Each language's name in each language: the categories of the survey-language breakdown.
LANGUAGE_NAMES = {
    "nl": {"nl": "Nederlands", "fr": "néerlandais", "en": "Dutch"},
    "fr": {"nl": "Frans", "fr": "français", "en": "French"},
    "en": {"nl": "Engels", "fr": "anglais", "en": "English"},
}

# DOMAIN.md section 2: the five B's, then the two of the longer lists.
DIMENSIONS_B = ("beschikbaar", "bereikbaar", "betaalbaar", "begrijpbaar", "bruikbaar", "bekend", "betrouwbaar")
DIMENSIONS_LEVESQUE = ("approachability", "acceptability", "availability", "affordability", "appropriateness")
# Each B dimension's name as a title (its dashboard page), in the words of DOMAIN.md's glossary.
DIMENSION_LABELS = {
    "beschikbaar": {"nl": "Beschikbaar", "fr": "Disponible", "en": "Available"},
    "bereikbaar": {"nl": "Bereikbaar", "fr": "Accessible (lieu, horaires)", "en": "Reachable"},
    "betaalbaar": {"nl": "Betaalbaar", "fr": "Abordable", "en": "Affordable"},
    "begrijpbaar": {"nl": "Begrijpbaar", "fr": "Compréhensible", "en": "Understandable"},
    "bruikbaar": {"nl": "Bruikbaar", "fr": "Adapté", "en": "Usable"},
    "bekend": {"nl": "Bekend", "fr": "Connu", "en": "Known"},
    "betrouwbaar": {"nl": "Betrouwbaar", "fr": "Digne de confiance", "en": "Trustworthy"},
}
# The same words inside a sentence (an indicator's label, "Barrier, reachable: ..."): derived, not typed
# again, so the two forms cannot drift apart. nl, fr and en lower the first letter and change nothing else.
DIMENSION_WORDS = {dimension: {lang: label[:1].lower() + label[1:] for lang, label in labels.items()}
                   for dimension, labels in DIMENSION_LABELS.items()}

# DOMAIN.md section 3: the whole sample ("all"), then the breakdowns an indicator is published by. A study
# file maps each breakdown but "all" to the clean column holding its categories (Study.breakdowns).
BREAKDOWNS = ("all", "neighbourhood", "language", "home_language", "education", "child_age", "channel")
