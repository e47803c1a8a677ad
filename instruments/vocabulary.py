"""The site's own words, defined once: the languages of the questionnaires and of every published text, and
each language's name. Everything a study names (instruments, subjects, dimensions, breakdowns) is in its
folder (instruments/studies/<study>/), not here. Plain constants only: every layer may import this module."""

# The clean column of the language a respondent answered the survey in, from the export's "startlanguage".
SURVEY_LANGUAGE = "start_language"
# The languages of the questionnaires and of every published text.
LANGUAGES = ("nl", "fr", "en")
# Each language's name in each language: the categories of the survey-language breakdown.
LANGUAGE_NAMES = {
    "nl": {"nl": "Nederlands", "fr": "néerlandais", "en": "Dutch"},
    "fr": {"nl": "Frans", "fr": "français", "en": "French"},
    "en": {"nl": "Engels", "fr": "anglais", "en": "English"},
}
