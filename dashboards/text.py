"""Page text in the three languages of the studies. Question and answer labels come from the
instrument definitions, not from here."""

from __future__ import annotations

LANGUAGES = ("nl", "fr", "en")
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}

TEXT: dict[str, dict[str, str]] = {
    "site_title": {
        "nl": "Toegang: toegankelijkheid van gezinsondersteuning",
        "fr": "Toegang : accessibilité du soutien aux familles",
        "en": "Toegang: accessibility of family support",
    },
    "awareness_heading": {
        "nl": "Bekendheid van diensten per wijk",
        "fr": "Notoriété des services par quartier",
        "en": "Awareness of services by neighbourhood",
    },
    "wave": {"nl": "Golf", "fr": "Vague", "en": "Wave"},
    "awareness_intro": {
        "nl": "Aandeel ouders dat de dienst kent, onder de ouders die de vraag beantwoordden, gewogen naar de "
              "bevolking van de wijken (wijk en opleiding). Tussen haken: het 95%-betrouwbaarheidsinterval en "
              "het aantal respondenten; in de grafiek als foutbalken.",
        "fr": "Part des parents qui connaissent le service, parmi les parents ayant répondu à la question, "
              "pondérée selon la population des quartiers (quartier et niveau d'instruction). Entre crochets : "
              "l'intervalle de confiance à 95 %, puis le nombre de répondants ; dans le graphique, les barres d'erreur.",
        "en": "Share of parents who know the service, among the parents who answered the question, weighted to "
              "the population of the neighbourhoods (neighbourhood and education). In brackets: the 95% "
              "confidence interval and the number of respondents; in the chart, the error bars.",
    },
    "unweighted": {
        "nl": "Ongewogen: voor deze golf zijn geen bevolkingscijfers opgegeven.",
        "fr": "Non pondéré : aucun chiffre de population n'est donné pour cette vague.",
        "en": "Unweighted: no population figures are given for this wave.",
    },
    "service": {"nl": "Dienst", "fr": "Service", "en": "Service"},
    "neighbourhood": {"nl": "Wijk", "fr": "Quartier", "en": "Neighbourhood"},
    "all_neighbourhoods": {"nl": "Alle wijken", "fr": "Tous les quartiers", "en": "All neighbourhoods"},
    "share_aware": {"nl": "Aandeel dat de dienst kent", "fr": "Part qui connaît le service",
                    "en": "Share aware of the service"},
    "respondents": {"nl": "respondenten", "fr": "répondants", "en": "respondents"},
    "suppressed": {
        "nl": "niet getoond: minder dan {min_n} respondenten",
        "fr": "non affiché : moins de {min_n} répondants",
        "en": "not shown: fewer than {min_n} respondents",
    },
    "suppression_note": {
        "nl": "Cellen met minder dan {min_n} respondenten worden niet getoond, net als één extra cel in "
              "dezelfde rij wanneer anders een verborgen cel uit het totaal af te leiden is.",
        "fr": "Les cellules de moins de {min_n} répondants ne sont pas affichées, ni une cellule "
              "supplémentaire de la même ligne lorsque la cellule masquée pourrait sinon se déduire du total.",
        "en": "Cells with fewer than {min_n} respondents are not shown, nor is one more cell in the same "
              "row where the hidden cell could otherwise be worked out from the total.",
    },
    "summary": {
        "nl": "In golf {wave} kende {share} van de ouders ({n} respondenten) {service}, de meest bekende dienst; "
              "{least_service} was het minst bekend ({least_share}).",
        "fr": "Lors de la vague {wave}, {share} des parents ({n} répondants) connaissaient {service}, le service "
              "le plus connu ; {least_service} était le moins connu ({least_share}).",
        "en": "In wave {wave}, {share} of parents ({n} respondents) knew {service}, the best-known service; "
              "{least_service} was the least known ({least_share}).",
    },
    "table_caption": {
        "nl": "Tabel: aandeel ouders dat de dienst kent, per wijk (95%-interval; respondenten)",
        "fr": "Tableau : part des parents qui connaissent le service, par quartier (intervalle à 95 % ; répondants)",
        "en": "Table: share of parents aware of each service, by neighbourhood (95% interval; respondents)",
    },
    "language": {"nl": "Taal", "fr": "Langue", "en": "Language"},
    "study": {"nl": "Studie", "fr": "Étude", "en": "Study"},
    "instrument_version": {"nl": "Versie vragenlijst", "fr": "Version du questionnaire",
                           "en": "Questionnaire version"},
}


def t(key: str, lang: str, **values: object) -> str:
    text = TEXT[key][lang]
    return text.format(**values) if values else text
