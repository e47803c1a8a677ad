"""Page text in the three languages of the studies. Question and answer labels come from the codebook,
indicator names from the study's indicator catalogue, and the dimensions' and breakdowns' names from the study
(``SiteContent.text``), not from here. tests/dashboards/test_text.py checks that every key has all three languages with the same
placeholders, and that the pages use no other key."""

from __future__ import annotations

_FRAME = {
    "site_title": {
        "nl": "Toegang: toegankelijkheid van gezinsondersteuning",
        "fr": "Toegang : accessibilité du soutien aux familles",
        "en": "Toegang: accessibility of family support",
    },
    "language": {"nl": "Taal", "fr": "Langue", "en": "Language"},
    "pages": {"nl": "Pagina's", "fr": "Pages", "en": "Pages"},
    "skip_to_content": {"nl": "Naar de inhoud", "fr": "Aller au contenu", "en": "Skip to content"},
    "study": {"nl": "Studie: {title}", "fr": "Étude : {title}", "en": "Study: {title}"},
    "page_overview": {"nl": "Overzicht", "fr": "Vue d'ensemble", "en": "Overview"},
    "page_neighbourhoods": {"nl": "Wijken", "fr": "Quartiers", "en": "Neighbourhoods"},
    "page_comparison": {"nl": "Ouders en werkveldactoren", "fr": "Parents et acteurs de terrain",
                        "en": "Parents and field actors"},
    "page_trend": {"nl": "Evolutie", "fr": "Évolution", "en": "Trend"},
    "page_method": {"nl": "Methode en datakwaliteit", "fr": "Méthode et qualité des données",
                    "en": "Method and data quality"},
    "page_downloads": {"nl": "Downloads", "fr": "Téléchargements", "en": "Downloads"},
    "footer": {
        "nl": "Golven {waves}. Alleen geaggregeerde cijfers; geen cel rust op minder dan {min_n} respondenten.",
        "fr": "Vagues {waves}. Chiffres agrégés uniquement ; aucune cellule ne repose sur moins de {min_n} répondants.",
        "en": "Waves {waves}. Aggregates only; no cell rests on fewer than {min_n} respondents.",
    },
}

_CHARTS = {
    "wave": {"nl": "Golf", "fr": "Vague", "en": "Wave"},
    "wave_label": {"nl": "Golf {wave}", "fr": "Vague {wave}", "en": "Wave {wave}"},
    "indicator": {"nl": "Indicator", "fr": "Indicateur", "en": "Indicator"},
    "all_respondents": {"nl": "Alle respondenten", "fr": "Tous les répondants", "en": "All respondents"},
    "by_breakdown": {"nl": "Per {breakdown}", "fr": "Par {breakdown}", "en": "By {breakdown}"},
    "pp": {"nl": "ptn", "fr": "pts", "en": "pts"},
    "axis_proportion": {"nl": "Aandeel (95%-interval)", "fr": "Part (intervalle à 95 %)",
                        "en": "Share (95% interval)"},
    "axis_index": {"nl": "Index 0-100 (95%-interval)", "fr": "Indice 0-100 (intervalle à 95 %)",
                   "en": "Index 0-100 (95% interval)"},
    "axis_difference": {"nl": "Verschil in punten op de index 0-100 (95%-interval)",
                        "fr": "Écart en points sur l'indice 0-100 (intervalle à 95 %)",
                        "en": "Difference in points on the 0-100 index (95% interval)"},
    "axis_count": {"nl": "Aantal", "fr": "Nombre", "en": "Count"},
    "not_shown_short": {"nl": "niet getoond", "fr": "non affiché", "en": "not shown"},
    "not_measured": {"nl": "niet gemeten", "fr": "non mesuré", "en": "not measured"},
    "reason_primary": {
        "nl": "niet getoond: minder dan {min_n} respondenten",
        "fr": "non affiché : moins de {min_n} répondants",
        "en": "not shown: fewer than {min_n} respondents",
    },
    "reason_secondary": {
        "nl": "niet getoond: anders is een verborgen cel uit het totaal af te leiden",
        "fr": "non affiché : sinon une cellule masquée se déduirait du total",
        "en": "not shown: otherwise a hidden cell could be worked out from the total",
    },
    "reason_alpha_below_0.7": {
        "nl": "geen index: de items vormen geen betrouwbare schaal (Cronbachs alfa onder 0,70)",
        "fr": "pas d'indice : les items ne forment pas une échelle fiable (alpha de Cronbach inférieur à 0,70)",
        "en": "no index: the items do not form a reliable scale (Cronbach's alpha below 0.70)",
    },
    "reason_field_actor_n_below_30": {
        "nl": "geen verschil berekend: minder dan 30 werkveldactoren; zie de aantallen per kant",
        "fr": "pas d'écart calculé : moins de 30 acteurs de terrain ; voir les effectifs de chaque côté",
        "en": "no gap computed: fewer than 30 field actors; see the counts on each side",
    },
    "reason_alpha_not_computable": {
        "nl": "geen index: te weinig volledige antwoorden om de betrouwbaarheid na te gaan",
        "fr": "pas d'indice : trop peu de réponses complètes pour vérifier la fiabilité",
        "en": "no index: too few complete answers to check its reliability",
    },
    "reason_parent_index_withheld": {
        "nl": "geen verschil berekend: de index van de ouders wordt niet getoond",
        "fr": "pas d'écart calculé : l'indice des parents n'est pas affiché",
        "en": "no gap computed: the parents' index is not shown",
    },
    "gap_none_computed": {
        "nl": "Geen enkel verschil kan als getal getoond worden: te weinig werkveldactoren. De tabel zet de cijfers "
              "van beide kanten naast elkaar.",
        "fr": "Aucun écart ne peut être affiché en chiffres : trop peu d'acteurs de terrain. Le tableau met les "
              "chiffres des deux côtés côte à côte.",
        "en": "No gap can be shown as a number: too few field actors. The table sets both sides' figures side by side.",
    },
    "reason_other": {"nl": "niet getoond ({reason})", "fr": "non affiché ({reason})", "en": "not shown ({reason})"},
    "low_n_eff": {
        "nl": "effectieve steekproefgrootte onder 30: met voorzichtigheid lezen",
        "fr": "taille effective de l'échantillon inférieure à 30 : à lire avec prudence",
        "en": "effective sample size under 30: read with care",
    },
    "unweighted_note": {
        "nl": "Sommige cijfers zijn ongewogen: voor die golf of groep zijn er geen bevolkingscijfers.",
        "fr": "Certains chiffres ne sont pas pondérés : il n'y a pas de chiffres de population pour cette vague ou ce groupe.",
        "en": "Some figures are unweighted: there are no population figures for that wave or group.",
    },
    "summary_none": {
        "nl": "{series}: geen enkele waarde kan getoond worden.",
        "fr": "{series} : aucune valeur ne peut être affichée.",
        "en": "{series}: no value can be shown.",
    },
    "summary_single": {
        "nl": "{series}: {label} {value} {interval}.",
        "fr": "{series} : {label} {value} {interval}.",
        "en": "{series}: {label} {value} {interval}.",
    },
    "summary_range": {
        "nl": "{series}: het hoogst bij {high_label} ({high}), het laagst bij {low_label} ({low}).",
        "fr": "{series} : le plus élevé pour {high_label} ({high}), le plus bas pour {low_label} ({low}).",
        "en": "{series}: highest for {high_label} ({high}), lowest for {low_label} ({low}).",
    },
    "summary_hidden": {
        "nl": "{count} cel(len) niet getoond; de tabel zegt waarom.",
        "fr": "{count} cellule(s) non affichée(s) ; le tableau dit pourquoi.",
        "en": "{count} cell(s) not shown; the table says why.",
    },
    "table_caption": {"nl": "Tabel: {title}", "fr": "Tableau : {title}", "en": "Table: {title}"},
    "chart_label": {
        "nl": "Grafiek: {title}. De cijfers staan in de tabel eronder.",
        "fr": "Graphique : {title}. Les chiffres figurent dans le tableau ci-dessous.",
        "en": "Chart: {title}. The figures are in the table below.",
    },
    "chart_caption": {
        "nl": "Foutbalken: 95%-betrouwbaarheidsinterval.",
        "fr": "Barres d'erreur : intervalle de confiance à 95 %.",
        "en": "Error bars: 95% confidence interval.",
    },
    "chart_gap_note": {
        "nl": "Een lege plaats met \u201cniet getoond\u201d is een verborgen cel, geen nul.",
        "fr": "Une place vide marquée \u00ab\u00a0non affiché\u00a0\u00bb est une cellule masquée, pas un zéro.",
        "en": "An empty place marked \u201cnot shown\u201d is a hidden cell, not a zero.",
    },
    "legend": {"nl": "Legende", "fr": "Légende", "en": "Legend"},
    "no_rows": {"nl": "Voor deze studie zijn hier nog geen cijfers gepubliceerd.",
                "fr": "Aucun chiffre n'est encore publié ici pour cette étude.",
                "en": "No figures are published here for this study yet."},
}

_BREAKDOWNS_UNITS = {
    "unit_proportion": {"nl": "aandelen", "fr": "parts", "en": "shares"},
    "unit_index": {"nl": "indexen (0-100)", "fr": "indices (0-100)", "en": "indices (0-100)"},
    "unit_count": {"nl": "aantallen", "fr": "effectifs", "en": "counts"},
    "unit_difference": {"nl": "verschillen", "fr": "écarts", "en": "differences"},
    "unit_mean": {"nl": "gemiddelden (1-5)", "fr": "moyennes (1-5)", "en": "means (1-5)"},
    "axis_mean": {"nl": "Gemiddelde 1-5 (95%-interval)", "fr": "Moyenne 1-5 (intervalle à 95 %)",
                  "en": "Mean 1-5 (95% interval)"},
}

_DIMENSIONS = {
    "dimension_whole": {"nl": "Alle respondenten: {unit} per golf", "fr": "Tous les répondants : {unit} par vague",
                        "en": "All respondents: {unit} by wave"},
}

_PAGES = {
    "overview_intro": {
        "nl": "De belangrijkste indicatoren voor alle ouders samen, per golf. Aandelen zijn gewogen naar de "
              "bevolking waar bevolkingscijfers bestaan; elke waarde staat met haar 95%-betrouwbaarheidsinterval "
              "en het aantal respondenten in de tabel.",
        "fr": "Les principaux indicateurs pour l'ensemble des parents, par vague. Les parts sont pondérées selon la "
              "population lorsque des chiffres de population existent ; chaque valeur figure dans le tableau avec son "
              "intervalle de confiance à 95 % et le nombre de répondants.",
        "en": "The key indicators for all parents together, by wave. Shares are weighted to the population where "
              "population figures exist; each value is in the table with its 95% confidence interval and the "
              "number of respondents.",
    },
    "suppression_note": {
        "nl": "Cellen met minder dan {min_n} respondenten worden niet getoond, net als één extra cel wanneer een "
              "verborgen cel anders uit het totaal af te leiden is. Een verborgen cel is een lege plaats, nooit een nul.",
        "fr": "Les cellules de moins de {min_n} répondants ne sont pas affichées, ni une cellule supplémentaire "
              "lorsque la cellule masquée pourrait sinon se déduire du total. Une cellule masquée est une place vide, "
              "jamais un zéro.",
        "en": "Cells with fewer than {min_n} respondents are not shown, nor is one more cell where the hidden cell "
              "could otherwise be worked out from the total. A hidden cell is an empty place, never a zero.",
    },
    "overview_proportion": {"nl": "Kernindicatoren: aandelen", "fr": "Indicateurs clés : parts",
                            "en": "Key indicators: shares"},
    "overview_index": {"nl": "Kernindicatoren: toegankelijkheidsindexen", "fr": "Indicateurs clés : indices d'accessibilité",
                       "en": "Key indicators: accessibility indices"},
    "overview_count": {"nl": "Kernindicatoren: aantallen", "fr": "Indicateurs clés : effectifs",
                       "en": "Key indicators: counts"},
    "overview_mean": {"nl": "Kernindicatoren: gemiddelden", "fr": "Indicateurs clés : moyennes",
                      "en": "Key indicators: means"},
    "overview_difference": {"nl": "Kernindicatoren: verschillen", "fr": "Indicateurs clés : écarts",
                            "en": "Key indicators: differences"},
    "neighbourhoods_intro": {
        "nl": "Per wijk, met alle respondenten samen als vergelijkingspunt. De tegelkaart is schematisch: "
              "één tegel per wijk, niet op schaal.",
        "fr": "Par quartier, avec l'ensemble des répondants comme point de comparaison. La carte en tuiles est "
              "schématique : une tuile par quartier, sans échelle.",
        "en": "By neighbourhood, with all respondents together as the reference. The tile map is schematic: one "
              "tile per neighbourhood, not to scale.",
    },
    "tile_title": {"nl": "{indicator}, golf {wave}", "fr": "{indicator}, vague {wave}",
                   "en": "{indicator}, wave {wave}"},
    "tile_note": {
        "nl": "Elke tegel toont de waarde als cijfer; de kleur herhaalt ze (donkerder is hoger). Gearceerd: niet getoond.",
        "fr": "Chaque tuile affiche la valeur en chiffres ; la couleur la répète (plus foncé = plus élevé). Hachuré : non affiché.",
        "en": "Each tile prints its value; the shade repeats it (darker is higher). Hatched: not shown.",
    },
    "gap_intro": {
        "nl": "Werkveldactoren beoordelen dezelfde items als ouders, over de ouders. Het verschil is de score van de "
              "werkveldactoren min die van de ouders: positief betekent dat werkveldactoren de dienst "
              "toegankelijker inschatten dan ouders hem ervaren.",
        "fr": "Les acteurs de terrain évaluent les mêmes items que les parents, à propos des parents. L'écart est le "
              "score des acteurs de terrain moins celui des parents : positif signifie que les acteurs de terrain "
              "jugent le service plus accessible que les parents ne le vivent.",
        "en": "Field actors rate the same items as parents, about parents. The gap is the field actors' score minus "
              "the parents': positive means field actors see the service as more accessible than parents "
              "experience it.",
    },
    "gap_rule": {
        "nl": "Een verschil wordt alleen als getal gepubliceerd met minstens 30 werkveldactoren; anders staan de "
              "cijfers van beide kanten naast elkaar. Antwoorden van werkveldactoren worden nooit per organisatie "
              "of functie opgesplitst.",
        "fr": "Un écart n'est publié en chiffre qu'avec au moins 30 acteurs de terrain ; sinon les chiffres des deux "
              "côtés sont présentés côte à côte. Les réponses des acteurs de terrain ne sont jamais ventilées par "
              "organisation ou fonction.",
        "en": "A gap is published as a number only with at least 30 field actors; otherwise both sides' figures "
              "stand side by side. Field actors' answers are never broken down by organisation or role.",
    },
    "gap_none": {
        "nl": "Voor deze studie zijn nog geen vergelijkingen tussen ouders en werkveldactoren gepubliceerd.",
        "fr": "Aucune comparaison entre parents et acteurs de terrain n'est encore publiée pour cette étude.",
        "en": "No comparisons between parents and field actors are published for this study yet.",
    },
    "gap_chart": {"nl": "Verschil werkveldactoren min ouders", "fr": "Écart acteurs de terrain moins parents",
                  "en": "Gap: field actors minus parents"},
    "gap_sides": {"nl": "Wat elke kant zei", "fr": "Ce que chaque côté a dit", "en": "What each side said"},
    "gap_sides_caption": {
        "nl": "Ouders (aandeel of index, 95%-interval) en werkveldactoren (aantal) naast het verschil",
        "fr": "Parents (part ou indice, intervalle à 95 %) et acteurs de terrain (effectifs) à côté de l'écart",
        "en": "Parents (share or index, 95% interval) and field actors (counts) beside the gap",
    },
    "parents": {"nl": "Ouders", "fr": "Parents", "en": "Parents"},
    "field_actors": {"nl": "Werkveldactoren", "fr": "Acteurs de terrain", "en": "Field actors"},
    "gap": {"nl": "Verschil", "fr": "Écart", "en": "Gap"},
    "k_of_n": {"nl": "{k} van {n}", "fr": "{k} sur {n}", "en": "{k} of {n}"},
    "trend_intro": {
        "nl": "Elke indicator voor alle respondenten, golf na golf. Overlappen de intervallen van twee golven, dan "
              "kan het verschil toeval zijn.",
        "fr": "Chaque indicateur pour l'ensemble des répondants, vague après vague. Si les intervalles de deux "
              "vagues se chevauchent, la différence peut être due au hasard.",
        "en": "Each indicator for all respondents, wave after wave. Where two waves' intervals overlap, the "
              "difference may be chance.",
    },
    "trend_block": {"nl": "{dimension}: {unit}", "fr": "{dimension} : {unit}", "en": "{dimension}: {unit}"},
    "trend_one_wave": {
        "nl": "Er is nog maar één golf: een evolutie volgt na de volgende golf.",
        "fr": "Il n'y a encore qu'une vague : l'évolution suivra après la prochaine vague.",
        "en": "There is only one wave so far: a trend follows after the next wave.",
    },
    "trend_too_few": {"nl": "{label}: te weinig golven met een waarde.", "fr": "{label} : trop peu de vagues avec une valeur.",
                      "en": "{label}: too few waves with a value."},
    "trend_change": {
        "nl": "{label}: van {first} ({first_series}) naar {last} ({last_series}).",
        "fr": "{label} : de {first} ({first_series}) à {last} ({last_series}).",
        "en": "{label}: from {first} ({first_series}) to {last} ({last_series}).",
    },
    "trend_overlap": {"nl": "De intervallen overlappen.", "fr": "Les intervalles se chevauchent.",
                      "en": "The intervals overlap."},
    "trend_no_overlap": {"nl": "De intervallen overlappen niet.", "fr": "Les intervalles ne se chevauchent pas.",
                         "en": "The intervals do not overlap."},
}

_METHOD = {
    "samples_heading": {"nl": "Steekproef", "fr": "Échantillon", "en": "Sample"},
    "samples_intro": {
        "nl": "Respondenten die toestemming gaven, per golf en vragenlijst. Ouders werden geworven via diensten, "
              "oudergroepen en online; werkveldactoren zijn medewerkers van de diensten.",
        "fr": "Répondants ayant donné leur consentement, par vague et questionnaire. Les parents ont été recrutés "
              "via les services, des groupes de parents et en ligne ; les acteurs de terrain sont le personnel des services.",
        "en": "Respondents who gave consent, by wave and questionnaire. Parents were recruited through services, "
              "parent groups and online; field actors are the services' staff.",
    },
    "samples_caption": {"nl": "Respondenten per golf", "fr": "Répondants par vague", "en": "Respondents by wave"},
    "weights_heading": {"nl": "Weging", "fr": "Pondération", "en": "Weighting"},
    "weights_intro": {
        "nl": "Ouders zijn gewogen met raking naar bevolkingscijfers (wijk, opleiding en leeftijd van het jongste "
              "kind waar beschikbaar). Het design-effect door weging is n gedeeld door de effectieve "
              "steekproefgrootte (Kish). Werkveldactoren worden niet gewogen.",
        "fr": "Les parents sont pondérés par calage (raking) sur des chiffres de population (quartier, niveau "
              "d'instruction et âge du plus jeune enfant lorsqu'ils existent). L'effet de plan dû à la pondération "
              "est n divisé par la taille effective de l'échantillon (Kish). Les acteurs de terrain ne sont pas pondérés.",
        "en": "Parents are weighted by raking to population figures (neighbourhood, education and age of the "
              "youngest child where available). The design effect due to weighting is n divided by the effective "
              "sample size (Kish). Field actors are not weighted.",
    },
    "weights_caption": {"nl": "Gewichten van de ouders per golf", "fr": "Poids des parents par vague",
                        "en": "Parents' weights by wave"},
    "no_weights": {"nl": "Geen gewichten: de cijfers zijn ongewogen.", "fr": "Pas de poids : les chiffres ne sont pas pondérés.",
                   "en": "No weights: the figures are unweighted."},
    "w_n": {"nl": "Ouders in de weegbasis", "fr": "Parents dans la base de pondération", "en": "Parents in the weighting base"},
    "w_sum": {"nl": "Som van de gewichten (personen)", "fr": "Somme des poids (personnes)", "en": "Sum of weights (persons)"},
    "w_n_eff": {"nl": "Effectieve steekproefgrootte", "fr": "Taille effective de l'échantillon", "en": "Effective sample size"},
    "w_deff": {"nl": "Design-effect door weging", "fr": "Effet de plan dû à la pondération", "en": "Design effect due to weighting"},
    "w_range": {"nl": "Kleinste – grootste gewicht", "fr": "Poids minimal – maximal", "en": "Smallest – largest weight"},
    "w_cv": {"nl": "Variatiecoëfficiënt", "fr": "Coefficient de variation", "en": "Coefficient of variation"},
    "w_trimmed": {"nl": "Afgetopte gewichten", "fr": "Poids écrêtés", "en": "Trimmed weights"},
    "estimation_heading": {"nl": "Schattingen en intervallen", "fr": "Estimations et intervalles",
                           "en": "Estimates and intervals"},
    "estimation_text": {
        "nl": "Aandelen tellen alleen inhoudelijke antwoorden in de noemer. Standaardfouten volgen het "
              "steekproefdesign (Taylor-linearisatie) en houden rekening met de raking; intervallen voor aandelen "
              "zijn logit-intervallen, voor indexen schatting ± 1,96 standaardfouten.",
        "fr": "Les parts ne comptent que les réponses substantielles au dénominateur. Les erreurs types suivent le "
              "plan d'échantillonnage (linéarisation de Taylor) et tiennent compte du calage ; les intervalles des "
              "parts sont des intervalles logit, ceux des indices l'estimation ± 1,96 erreur type.",
        "en": "Shares count substantive answers only in the denominator. Standard errors follow the sampling design "
              "(Taylor linearisation) and account for the raking; intervals for shares are logit intervals, for "
              "indices the estimate ± 1.96 standard errors.",
    },
    "bias_text": {
        "nl": "Weging corrigeert de bekende verdelingen, niet de selectie op de uitkomst zelf: ouders die diensten al "
              "kennen en gebruiken antwoorden vaker, dus bekendheid en gebruik zijn wellicht bovengrenzen.",
        "fr": "La pondération corrige les répartitions connues, pas la sélection sur le résultat lui-même : les "
              "parents qui connaissent et utilisent déjà les services répondent plus souvent, donc la notoriété et "
              "l'utilisation sont sans doute des bornes supérieures.",
        "en": "Weighting corrects the known distributions, not selection on the outcome itself: parents who already "
              "know and use services answer more often, so awareness and use are likely upper bounds.",
    },
    "suppression_heading": {"nl": "Kleine cellen", "fr": "Petites cellules", "en": "Small cells"},
    "quality_heading": {"nl": "Datakwaliteit", "fr": "Qualité des données", "en": "Data quality"},
    "quality_intro": {
        "nl": "Elk antwoord wordt gecontroleerd; gemarkeerde antwoorden blijven bewaard, maar sommige markeringen "
              "houden een antwoord buiten de weegbasis.",
        "fr": "Chaque réponse est contrôlée ; les réponses signalées sont conservées, mais certains signalements "
              "excluent la réponse de la base de pondération.",
        "en": "Every response is checked; flagged responses are kept, but some flags keep a response out of the "
              "weighting base.",
    },
    "quality_caption": {"nl": "Gemarkeerde antwoorden per golf en vragenlijst",
                        "fr": "Réponses signalées par vague et questionnaire",
                        "en": "Flagged responses by wave and questionnaire"},
    "flag": {"nl": "Markering", "fr": "Signalement", "en": "Flag"},
    "flag_incomplete": {"nl": "Onvolledig", "fr": "Incomplète", "en": "Incomplete"},
    "flag_speeding": {"nl": "Te snel ingevuld", "fr": "Remplie trop vite", "en": "Speeding"},
    "flag_straightlining": {"nl": "Overal hetzelfde antwoord", "fr": "Même réponse partout", "en": "Straightlining"},
    "flag_duplicate": {"nl": "Dubbel", "fr": "Doublon", "en": "Duplicate"},
    "flag_out_of_range": {"nl": "Buiten bereik", "fr": "Hors plage", "en": "Out of range"},
    "versions_heading": {"nl": "Versies", "fr": "Versions", "en": "Versions"},
    "versions_caption": {"nl": "Versie van de vragenlijst per golf", "fr": "Version du questionnaire par vague",
                         "en": "Questionnaire version by wave"},
    "provenance_caption": {"nl": "Herkomst van de cijfers", "fr": "Provenance des chiffres", "en": "Provenance of the figures"},
    "instrument": {"nl": "Vragenlijst", "fr": "Questionnaire", "en": "Questionnaire"},
    "version": {"nl": "Versie", "fr": "Version", "en": "Version"},
}

_DOWNLOADS = {
    "downloads_intro": {
        "nl": "Alle gepubliceerde cijfers, met hun intervallen en de reden van elke verborgen cel. Alleen "
              "geaggregeerde cijfers: geen enkele rij beschrijft één respondent.",
        "fr": "Tous les chiffres publiés, avec leurs intervalles et la raison de chaque cellule masquée. Chiffres "
              "agrégés uniquement : aucune ligne ne décrit un répondant.",
        "en": "Every published figure, with its interval and the reason for each hidden cell. Aggregates only: no "
              "row describes a single respondent.",
    },
    "file_csv": {"nl": "CSV, komma-gescheiden", "fr": "CSV, séparé par des virgules", "en": "CSV, comma-separated"},
    "file_parquet": {"nl": "Parquet", "fr": "Parquet", "en": "Parquet"},
    "columns_heading": {"nl": "Kolommen", "fr": "Colonnes", "en": "Columns"},
    "columns_caption": {"nl": "Kolommen van indicators.csv", "fr": "Colonnes de indicators.csv",
                        "en": "Columns of indicators.csv"},
    "column": {"nl": "Kolom", "fr": "Colonne", "en": "Column"},
    "meaning": {"nl": "Betekenis", "fr": "Signification", "en": "Meaning"},
    "col_study_id": {"nl": "id van de studie", "fr": "identifiant de l'étude", "en": "study id"},
    "col_wave": {"nl": "golf van de bevraging", "fr": "vague de l'enquête", "en": "survey wave"},
    "col_indicator": {"nl": "naam van de indicator (zie catalogue.csv)", "fr": "nom de l'indicateur (voir catalogue.csv)",
                      "en": "indicator name (see catalogue.csv)"},
    "col_breakdown": {"nl": "uitsplitsing: all, neighbourhood, language (van de vragenlijst), home_language, "
                            "education, child_age of channel",
                      "fr": "ventilation : all, neighbourhood, language (du questionnaire), home_language, "
                            "education, child_age ou channel",
                      "en": "breakdown: all, neighbourhood, language (of the questionnaire), home_language, "
                            "education, child_age or channel"},
    "col_domain": {"nl": "categorie binnen de uitsplitsing (code uit het codeboek)",
                   "fr": "catégorie de la ventilation (code du livre de codes)",
                   "en": "category within the breakdown (codebook code)"},
    "col_instrument": {"nl": "vragenlijst: parent of field_actor", "fr": "questionnaire : parent ou field_actor",
                       "en": "questionnaire: parent or field_actor"},
    "col_estimate": {"nl": "schatting (aandeel 0-1, index 0-100, aantal of verschil)",
                     "fr": "estimation (part 0-1, indice 0-100, effectif ou écart)",
                     "en": "estimate (share 0-1, index 0-100, count or difference)"},
    "col_se": {"nl": "standaardfout", "fr": "erreur type", "en": "standard error"},
    "col_ci_low": {"nl": "ondergrens van het 95%-interval", "fr": "borne inférieure de l'intervalle à 95 %",
                   "en": "lower bound of the 95% interval"},
    "col_ci_high": {"nl": "bovengrens van het 95%-interval", "fr": "borne supérieure de l'intervalle à 95 %",
                    "en": "upper bound of the 95% interval"},
    "col_n": {"nl": "aantal respondenten (ongewogen)", "fr": "nombre de répondants (non pondéré)",
              "en": "number of respondents (unweighted)"},
    "col_n_eff": {"nl": "effectieve steekproefgrootte", "fr": "taille effective de l'échantillon",
                  "en": "effective sample size"},
    "col_deff": {"nl": "design-effect", "fr": "effet de plan", "en": "design effect"},
    "col_weighted": {"nl": "gewogen (true) of niet", "fr": "pondéré (true) ou non", "en": "weighted (true) or not"},
    "col_low_n_eff": {"nl": "true: effectieve steekproefgrootte onder 30, met voorzichtigheid lezen",
                      "fr": "true : taille effective de l'échantillon inférieure à 30, à lire avec prudence",
                      "en": "true: effective sample size under 30, read with care"},
    "col_suppressed": {"nl": "true: cel verborgen, schatting leeg", "fr": "true : cellule masquée, estimation vide",
                       "en": "true: cell hidden, estimate empty"},
    "col_reason": {"nl": "waarom de cel verborgen is", "fr": "pourquoi la cellule est masquée",
                   "en": "why the cell is hidden"},
    "col_unit": {"nl": "eenheid: proportion, index, count of difference",
                 "fr": "unité : proportion, index, count ou difference",
                 "en": "unit: proportion, index, count or difference"},
}

TEXT: dict[str, dict[str, str]] = {**_FRAME, **_CHARTS, **_BREAKDOWNS_UNITS, **_DIMENSIONS, **_PAGES, **_METHOD,
                                   **_DOWNLOADS}


def t(key: str, lang: str, **values: object) -> str:
    text = TEXT[key][lang]
    return text.format(**values) if values else text
