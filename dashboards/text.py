"""The site's own text in the three languages of the studies: nothing here names a study's instruments,
respondents, subjects, areas, breakdowns or dimensions. Question and answer labels come from the codebook,
indicator names from the study's indicator catalogue, and the study's words (its dimensions, breakdowns, who
answers each instrument, its method paragraphs) from its folder (``SiteContent.text``); a text here takes them
as placeholders ("By {breakdown}"). tests/dashboards/test_text.py checks that every key has all three
languages with the same placeholders, and that the pages use no other key."""

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
    "page_comparison": {"nl": "Perspectieven vergeleken", "fr": "Perspectives comparées",
                        "en": "Perspectives compared"},
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
    # Reasons built from the study's rules and instruments: {alpha} the study's minimum, {n} its minimum group
    # for an unweighted instrument, {respondents} who answers the instrument (the study's word, lowered).
    "reason_alpha_below": {
        "nl": "geen index: de items vormen geen betrouwbare schaal (Cronbachs alfa onder {alpha})",
        "fr": "pas d'indice : les items ne forment pas une échelle fiable (alpha de Cronbach inférieur à {alpha})",
        "en": "no index: the items do not form a reliable scale (Cronbach's alpha below {alpha})",
    },
    "reason_n_below": {
        "nl": "niet getoond: minder dan {n} {respondents}; daaronder worden alleen aantallen gepubliceerd",
        "fr": "non affiché : moins de {n} {respondents} ; en dessous, seuls des effectifs sont publiés",
        "en": "not shown: fewer than {n} {respondents}; below that, only counts are published",
    },
    "reason_n_below_difference": {
        "nl": "geen verschil berekend: minder dan {n} {respondents}; zie de aantallen per kant",
        "fr": "pas d'écart calculé : moins de {n} {respondents} ; voir les effectifs de chaque côté",
        "en": "no gap computed: fewer than {n} {respondents}; see the counts on each side",
    },
    "reason_alpha_not_computable": {
        "nl": "geen index: te weinig volledige antwoorden om de betrouwbaarheid na te gaan",
        "fr": "pas d'indice : trop peu de réponses complètes pour vérifier la fiabilité",
        "en": "no index: too few complete answers to check its reliability",
    },
    "reason_withheld_index": {
        "nl": "geen verschil berekend: de index van de {respondents} wordt niet getoond",
        "fr": "pas d'écart calculé : l'indice des {respondents} n'est pas affiché",
        "en": "no gap computed: the index of the {respondents} is not shown",
    },
    "reason_withheld_proportion": {
        "nl": "geen verschil berekend: het aandeel bij de {respondents} wordt niet getoond",
        "fr": "pas d'écart calculé : la part des {respondents} n'est pas affichée",
        "en": "no gap computed: the share among the {respondents} is not shown",
    },
    "reason_withheld_mean": {
        "nl": "geen verschil berekend: het gemiddelde van de {respondents} wordt niet getoond",
        "fr": "pas d'écart calculé : la moyenne des {respondents} n'est pas affichée",
        "en": "no gap computed: the mean of the {respondents} is not shown",
    },
    # Where the study withholds the shares the NCHS standards would not publish ({n}: its minimum effective size,
    # {width}: the widest interval in percentage points, {share}: the widest relative to the share, "130%").
    "reason_nchs_n_eff": {
        "nl": "niet getoond: te weinig effectieve respondenten om het aandeel te publiceren (minder dan {n}; "
              "NCHS-normen)",
        "fr": "non affiché : trop peu de répondants effectifs pour une part fiable (moins de {n} ; normes du NCHS)",
        "en": "not shown: too few effective respondents for a reliable share (under {n}; NCHS standards)",
    },
    "reason_nchs_width": {
        "nl": "niet getoond: het 95%-interval is {width} procentpunten breed of meer (NCHS-normen)",
        "fr": "non affiché : l'intervalle à 95 % couvre {width} points de pourcentage ou plus (normes du NCHS)",
        "en": "not shown: its 95% interval spans {width} percentage points or more (NCHS standards)",
    },
    "reason_nchs_relative_width": {
        "nl": "niet getoond: het 95%-interval is breder dan {share} van het aandeel zelf (NCHS-normen)",
        "fr": "non affiché : l'intervalle à 95 % est plus large que {share} de la part elle-même (normes du NCHS)",
        "en": "not shown: its 95% interval is wider than {share} of the share itself (NCHS standards)",
    },
    # A code the site has no words for (from a newer analysis): said without the code, which no reader knows.
    "reason_other": {"nl": "niet getoond volgens een regel van de studie",
                     "fr": "non affiché en vertu d'une règle de l'étude",
                     "en": "not shown under one of the study's rules"},
    "low_n_eff": {
        "nl": "effectieve steekproefgrootte onder 30: met voorzichtigheid lezen",
        "fr": "taille effective de l'échantillon inférieure à 30 : à lire avec prudence",
        "en": "effective sample size under 30: read with care",
    },
    # The marks of a share the NCHS presentation standards flag (dashboards/marks.py): what the notes under a
    # table say, and in a few words beside each marked value (for screen readers, tooltips, hover labels).
    "nchs_withhold": {
        "nl": "zou volgens de NCHS-normen niet gepubliceerd worden (te weinig effectieve respondenten of een te "
              "breed interval): met grote voorzichtigheid lezen",
        "fr": "ne serait pas publiée selon les normes du NCHS (trop peu de répondants effectifs ou intervalle trop "
              "large) : à lire avec beaucoup de prudence",
        "en": "would be withheld under the NCHS standards (too few effective respondents or an interval too "
              "wide): read with great care",
    },
    "nchs_footnote": {
        "nl": "het interval is breed in verhouding tot het complement (100% min dit aandeel): volgens de NCHS-normen "
              "mag het aandeel getoond worden, het complement niet",
        "fr": "l'intervalle est large par rapport au complément (100 % moins cette part) : selon les normes du "
              "NCHS, la part peut être affichée, mais pas son complément",
        "en": "the interval is wide compared with the complement (100% minus this share): under the NCHS "
              "standards the share may be shown, its complement would not be",
    },
    "nchs_review": {
        "nl": "ter statistische beoordeling: weinig vrijheidsgraden, of een schatting van precies 0% of 100%",
        "fr": "à soumettre à un examen statistique : peu de degrés de liberté, ou une estimation d'exactement "
              "0 % ou 100 %",
        "en": "for statistical review: few degrees of freedom, or an estimate of exactly 0% or 100%",
    },
    "nchs_withhold_short": {"nl": "NCHS: zou niet gepubliceerd worden", "fr": "NCHS : ne serait pas publiée",
                            "en": "NCHS: would be withheld"},
    "nchs_footnote_short": {"nl": "NCHS: voetnoot", "fr": "NCHS : note", "en": "NCHS: footnote"},
    "nchs_review_short": {"nl": "NCHS: ter statistische beoordeling", "fr": "NCHS : pour examen statistique",
                          "en": "NCHS: for statistical review"},
    "summary_marked": {
        "nl": "Bij {count} waarde(n) staat een teken; de noten onder de tabel leggen uit wat het betekent.",
        "fr": "{count} valeur(s) porte(nt) un signe ; les notes sous le tableau expliquent ce qu'il signifie.",
        "en": "{count} value(s) carry a mark; the notes under the table explain what it means.",
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
    "chart_caption_band": {
        "nl": "Eén paneel per indicator, met dezelfde assen; de band is het 95%-betrouwbaarheidsinterval.",
        "fr": "Un panneau par indicateur, aux mêmes axes ; la bande est l'intervalle de confiance à 95 %.",
        "en": "One panel per indicator, on the same axes; the band is the 95% confidence interval.",
    },
    "chart_gap_note": {
        "nl": "Een lege plaats met \u201cniet getoond\u201d is een verborgen cel, geen nul.",
        "fr": "Une place vide marquée \u00ab\u00a0non affiché\u00a0\u00bb est une cellule masquée, pas un zéro.",
        "en": "An empty place marked \u201cnot shown\u201d is a hidden cell, not a zero.",
    },
    "legend": {"nl": "Legende", "fr": "Légende", "en": "Legend"},
    "and": {"nl": "{first} en {last}", "fr": "{first} et {last}", "en": "{first} and {last}"},
    "respondents": {"nl": "respondenten", "fr": "répondants", "en": "respondents"},
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
    # A scale index of a dimension with one item, published as the item's mean score.
    "single_item_label": {"nl": "{label} (één item)", "fr": "{label} (un seul item)", "en": "{label} (single item)"},
    "axis_mean": {"nl": "Gemiddelde 1-5 (95%-interval)", "fr": "Moyenne 1-5 (intervalle à 95 %)",
                  "en": "Mean 1-5 (95% interval)"},
}

_DIMENSIONS = {
    "dimension_whole": {"nl": "Alle respondenten: {unit} per golf", "fr": "Tous les répondants : {unit} par vague",
                        "en": "All respondents: {unit} by wave"},
    "single_items_heading": {"nl": "Losse items: gemiddelde score (1-5) per golf",
                             "fr": "Items isolés : score moyen (1-5) par vague",
                             "en": "Single items: mean score (1-5) by wave"},
    "single_item_note": {
        "nl": "Een dimensie met maar één item heeft geen betrouwbaarheid die na te gaan is (daarvoor zijn minstens "
              "twee items nodig). Ze wordt daarom gerapporteerd als de gemiddelde score op dat item, op de schaal "
              "van 1 tot 5, en niet als index van 0 tot 100.",
        "fr": "Une dimension d'un seul item n'a pas de fiabilité à vérifier (il faut pour cela au moins deux items). "
              "Elle est donc présentée comme le score moyen de cet item, sur l'échelle de 1 à 5, et non comme un "
              "indice de 0 à 100.",
        "en": "A dimension with only one item has no reliability to check (that takes at least two items). It is "
              "therefore reported as that item's mean score, on its 1-5 scale, not as a 0-100 index.",
    },
}

_PAGES = {
    "overview_intro": {
        "nl": "De belangrijkste indicatoren voor alle {respondents} samen, per golf. Aandelen zijn gewogen naar de "
              "bevolking waar bevolkingscijfers bestaan; elke waarde staat met haar 95%-betrouwbaarheidsinterval "
              "en het aantal respondenten in de tabel.",
        "fr": "Les principaux indicateurs pour l'ensemble des {respondents}, par vague. Les parts sont pondérées "
              "selon la population lorsque des chiffres de population existent ; chaque valeur figure dans le tableau "
              "avec son intervalle de confiance à 95 % et le nombre de répondants.",
        "en": "The key indicators for all {respondents} together, by wave. Shares are weighted to the population where "
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
    "map_intro": {
        "nl": "Per {breakdown}, met alle respondenten samen als vergelijkingspunt. De tegelkaart is schematisch: "
              "één tegel per {breakdown}, niet op schaal.",
        "fr": "Par {breakdown}, avec l'ensemble des répondants comme point de comparaison. La carte en tuiles est "
              "schématique : une tuile par {breakdown}, sans échelle.",
        "en": "By {breakdown}, with all respondents together as the reference. The tile map is schematic: one "
              "tile per {breakdown}, not to scale.",
    },
    "tile_title": {"nl": "{indicator}, golf {wave}", "fr": "{indicator}, vague {wave}",
                   "en": "{indicator}, wave {wave}"},
    "tile_note": {
        "nl": "Elke tegel toont de waarde als cijfer; de kleur herhaalt ze (donkerder is hoger). Gearceerd: niet getoond.",
        "fr": "Chaque tuile affiche la valeur en chiffres ; la couleur la répète (plus foncé = plus élevé). Hachuré : non affiché.",
        "en": "Each tile prints its value; the shade repeats it (darker is higher). Hatched: not shown.",
    },
    "compare_intro": {
        "nl": "Wat verschillende groepen respondenten over hetzelfde zeiden, naast elkaar, met het verschil ertussen.",
        "fr": "Ce que différents groupes de répondants ont dit des mêmes choses, côte à côte, avec l'écart entre eux.",
        "en": "What different groups of respondents said about the same things, side by side, with the gap "
              "between them.",
    },
    # {a} and {b}: who answers each side's instrument (the study's words, lowered inside the sentence).
    "compare_sides": {
        "nl": "Elk verschil is het cijfer van de {a} min dat van de {b}, voor hetzelfde onderwerp: positief "
              "betekent dat de {a} hoger scoren dan de {b}.",
        "fr": "Chaque écart est le chiffre des {a} moins celui des {b}, pour le même sujet : positif signifie que "
              "les {a} donnent un score plus élevé que les {b}.",
        "en": "Each gap is the figure of the {a} minus that of the {b}, for the same subject: positive means the "
              "{a} rate it higher than the {b}.",
    },
    "compare_rule": {
        "nl": "Een verschil wordt alleen als getal gepubliceerd wanneer beide kanten gepubliceerd zijn, een "
              "ongewogen kant pas vanaf {min_group} respondenten; anders staan de cijfers van beide kanten naast "
              "elkaar.",
        "fr": "Un écart n'est publié en chiffre que si les deux côtés le sont, un côté non pondéré seulement à "
              "partir de {min_group} répondants ; sinon les chiffres des deux côtés sont présentés côte à côte.",
        "en": "A gap is published as a number only where both sides are, an unweighted side only from {min_group} "
              "respondents; otherwise both sides' figures stand side by side.",
    },
    "compare_whole_group": {
        "nl": "De antwoorden van de {respondents} worden alleen voor de hele groep gepubliceerd, nooit uitgesplitst.",
        "fr": "Les réponses des {respondents} ne sont publiées que pour l'ensemble du groupe, jamais ventilées.",
        "en": "The answers of the {respondents} are published for the whole group only, never broken down.",
    },
    "gap_chart": {"nl": "Verschil {a} min {b}", "fr": "Écart {a} moins {b}", "en": "Gap: {a} minus {b}"},
    "gap_sides": {"nl": "Wat elke kant zei", "fr": "Ce que chaque côté a dit", "en": "What each side said"},
    "gap_sides_caption": {
        "nl": "{a} en {b}: het cijfer van elke kant (95%-interval, n), het aantal van een ongewogen kant "
              "(\u201ck van n\u201d) en het verschil",
        "fr": "{a} et {b} : le chiffre de chaque côté (intervalle à 95 %, n), l'effectif d'un côté non pondéré "
              "(\u00ab\u00a0k sur n\u00a0\u00bb) et l'écart",
        "en": "{a} and {b}: each side's figure (95% interval, n), an unweighted side's count (\u201ck of n\u201d) "
              "and the gap",
    },
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
    # The study's own paragraphs (who was recruited how, what the weights are raked to, what weighting cannot
    # correct) come from its study.yaml (method:) and stand beside these.
    "samples_intro": {
        "nl": "Respondenten die toestemming gaven, per golf en vragenlijst.",
        "fr": "Répondants ayant donné leur consentement, par vague et questionnaire.",
        "en": "Respondents who gave consent, by wave and questionnaire.",
    },
    "samples_caption": {"nl": "Respondenten per golf", "fr": "Répondants par vague", "en": "Respondents by wave"},
    "weights_heading": {"nl": "Weging", "fr": "Pondération", "en": "Weighting"},
    "weights_intro": {
        "nl": "Het design-effect door weging is n gedeeld door de effectieve steekproefgrootte (Kish).",
        "fr": "L'effet de plan dû à la pondération est n divisé par la taille effective de l'échantillon (Kish).",
        "en": "The design effect due to weighting is n divided by the effective sample size (Kish).",
    },
    "weights_caption": {"nl": "Gewichten per golf", "fr": "Poids par vague", "en": "Weights by wave"},
    "no_weights": {"nl": "Geen gewichten: de cijfers zijn ongewogen.", "fr": "Pas de poids : les chiffres ne sont pas pondérés.",
                   "en": "No weights: the figures are unweighted."},
    "w_n": {"nl": "Respondenten in de weegbasis", "fr": "Répondants dans la base de pondération",
            "en": "Respondents in the weighting base"},
    "w_sum": {"nl": "Som van de gewichten (personen)", "fr": "Somme des poids (personnes)", "en": "Sum of weights (persons)"},
    "w_n_eff": {"nl": "Effectieve steekproefgrootte", "fr": "Taille effective de l'échantillon", "en": "Effective sample size"},
    "w_deff": {"nl": "Design-effect door weging", "fr": "Effet de plan dû à la pondération", "en": "Design effect due to weighting"},
    "w_range": {"nl": "Kleinste – grootste gewicht", "fr": "Poids minimal – maximal", "en": "Smallest – largest weight"},
    "w_cv": {"nl": "Variatiecoëfficiënt", "fr": "Coefficient de variation", "en": "Coefficient of variation"},
    "w_trimmed": {"nl": "Afgetopte gewichten", "fr": "Poids écrêtés", "en": "Trimmed weights"},
    "estimation_heading": {"nl": "Schattingen en intervallen", "fr": "Estimations et intervalles",
                           "en": "Estimates and intervals"},
    "estimation_text": {
        "nl": "Aandelen tellen alleen inhoudelijke antwoorden in de noemer.",
        "fr": "Les parts ne comptent que les réponses substantielles au dénominateur.",
        "en": "Shares count substantive answers only in the denominator.",
    },
    # How a weighted wave's standard errors are estimated (MethodFacts.designs): said once when the waves agree,
    # else per wave ({waves}: "2018 and 2021", {text}: what holds for them). {stratum}: the study's breakdown
    # the sample was stratified by (its title inside a sentence), else the word "stratum".
    "variance_waves": {"nl": "{waves}: {text}", "fr": "{waves} : {text}", "en": "{waves}: {text}"},
    "stratum": {"nl": "stratum", "fr": "strate", "en": "stratum"},
    "design_strata": {
        "nl": "De steekproef werd per {stratum} apart getrokken.",
        "fr": "L'échantillon a été tiré séparément par {stratum}.",
        "en": "The sample was drawn separately per {stratum}.",
    },
    "design_strata_weights": {
        "nl": "De weging vertrekt per {stratum} van de bevolking gedeeld door het aantal respondenten.",
        "fr": "La pondération part, par {stratum}, de la population divisée par le nombre de répondants.",
        "en": "The weighting starts, per {stratum}, from the population divided by the number of respondents.",
    },
    "variance_linearisation": {
        "nl": "Standaardfouten volgen het steekproefdesign (Taylor-linearisatie) en houden rekening met de raking.",
        "fr": "Les erreurs types suivent le plan d'échantillonnage (linéarisation de Taylor) et tiennent compte du "
              "calage.",
        "en": "Standard errors follow the sampling design (Taylor linearisation) and account for the raking.",
    },
    "variance_strata": {
        "nl": "Standaardfouten volgen dat steekproefdesign en de raking (Taylor-linearisatie, met de "
              "kalibratieresiduen gewogen met de designgewichten, zoals calibrate in R).",
        "fr": "Les erreurs types suivent ce plan d'échantillonnage et le calage (linéarisation de Taylor, avec les "
              "résidus du calage pondérés par les poids de sondage, comme calibrate dans R).",
        "en": "Standard errors follow that design and the raking (Taylor linearisation, with the calibration "
              "residuals weighted by the design weights, as R's calibrate).",
    },
    # {count}: how many replicate weights.
    "variance_jackknife": {
        "nl": "Standaardfouten komen uit {count} replicaatgewichten, elk opnieuw naar de bevolkingscijfers gewogen: "
              "zo dragen ze ook de onzekerheid van de weging zelf (jackknife: elk replicaat laat om beurten een deel "
              "van de steekproef weg). De microdata voor analisten bevatten deze replicaatgewichten (repw_001, ...).",
        "fr": "Les erreurs types proviennent de {count} poids répliqués, chacun calé à nouveau sur les chiffres de "
              "population : elles portent donc aussi l'incertitude de la pondération elle-même (jackknife : chaque "
              "réplique laisse de côté, à tour de rôle, une partie de l'échantillon). Les microdonnées destinées aux "
              "analystes contiennent ces poids répliqués (repw_001, ...).",
        "en": "Standard errors come from {count} replicate weights, each raked again to the population figures, so "
              "they also carry the uncertainty of the weighting itself (jackknife: each replicate leaves out one part "
              "of the sample in turn). The microdata for analysts carry these replicate weights (repw_001, ...).",
    },
    "variance_bootstrap": {
        "nl": "Standaardfouten komen uit {count} replicaatgewichten, elk opnieuw naar de bevolkingscijfers gewogen: "
              "zo dragen ze ook de onzekerheid van de weging zelf (bootstrap: elk replicaat is een nieuwe trekking "
              "met teruglegging uit de steekproef). De microdata voor analisten bevatten deze replicaatgewichten "
              "(repw_001, ...).",
        "fr": "Les erreurs types proviennent de {count} poids répliqués, chacun calé à nouveau sur les chiffres de "
              "population : elles portent donc aussi l'incertitude de la pondération elle-même (bootstrap : chaque "
              "réplique est un nouveau tirage avec remise dans l'échantillon). Les microdonnées destinées aux "
              "analystes contiennent ces poids répliqués (repw_001, ...).",
        "en": "Standard errors come from {count} replicate weights, each raked again to the population figures, so "
              "they also carry the uncertainty of the weighting itself (bootstrap: each replicate is a new draw from "
              "the sample, with replacement). The microdata for analysts carry these replicate weights (repw_001, "
              "...).",
    },
    # Said when some share's row names its interval (ci_method) beta, or logit.
    "interval_beta": {
        "nl": "Intervallen voor aandelen zijn Korn-Graubard-intervallen: Clopper-Pearson-intervallen op de "
              "effectieve steekproefgrootte, aangepast aan de vrijheidsgraden van het design, elk op de "
              "vrijheidsgraden van de eigen groep (haar clusters min haar strata; zonder clusters haar respondenten "
              "min haar strata). In tegenstelling tot een interval van schatting ± 1,96 standaardfouten heeft zo'n interval "
              "nooit breedte nul, ook niet bij 0% of 100%, en blijft het tussen 0% en 100%. Een kleine groep krijgt "
              "een interval zo breed als haar weinige respondenten en vrijheidsgraden rechtvaardigen, niet een dat "
              "van de hele steekproef geleend is.",
        "fr": "Les intervalles des parts sont des intervalles de Korn-Graubard : des intervalles de Clopper-Pearson "
              "sur la taille effective de l'échantillon, ajustés aux degrés de liberté du plan, chacun sur les "
              "degrés de liberté de son propre groupe (ses grappes moins ses strates ; sans grappes, ses répondants "
              "moins ses strates). Contrairement à un intervalle de l'estimation ± 1,96 erreur type, un tel intervalle n'a "
              "jamais une largeur nulle, même à 0 % ou à 100 %, et reste entre 0 % et 100 %. Un petit groupe reçoit "
              "un intervalle aussi large que le justifient ses quelques répondants et degrés de liberté, et non un "
              "intervalle emprunté à l'échantillon entier.",
        "en": "Intervals for shares are Korn-Graubard intervals: Clopper-Pearson intervals on the effective sample "
              "size, adjusted for the design's degrees of freedom, each on the degrees of freedom of its own group "
              "(its clusters minus its strata; without clusters, its respondents minus its strata). Unlike an interval of "
              "the estimate ± 1.96 standard errors, such an interval never has zero width, not even at 0% or 100%, "
              "and stays between 0% and 100%. A small group gets an interval as wide as its few respondents and "
              "degrees of freedom warrant, not one borrowed from the whole sample.",
    },
    # Said when some share's row names its interval clopper-pearson, or wilson (an unweighted instrument's).
    "interval_clopper-pearson": {
        "nl": "Aandelen van ongewogen groepen (zonder bevolkingscijfers om naar te wegen) hebben een exact "
              "Clopper-Pearson-interval op hun respondenten, zoals R's binom.test: een kleine groep krijgt het "
              "brede interval dat haar weinige antwoorden rechtvaardigen.",
        "fr": "Les parts des groupes non pondérés (sans chiffres de population pour les pondérer) ont un intervalle "
              "exact de Clopper-Pearson sur leurs répondants, comme binom.test de R : un petit groupe reçoit "
              "l'intervalle large que justifient ses quelques réponses.",
        "en": "Shares of unweighted groups (with no population figures to weight them to) have an exact "
              "Clopper-Pearson interval on their respondents, as R's binom.test: a small group gets the wide "
              "interval its few answers warrant.",
    },
    "interval_wilson": {
        "nl": "Aandelen van ongewogen groepen (zonder bevolkingscijfers om naar te wegen) hebben een "
              "Wilson-interval op hun respondenten, zoals R's prop.test zonder continuïteitscorrectie.",
        "fr": "Les parts des groupes non pondérés (sans chiffres de population pour les pondérer) ont un "
              "intervalle de Wilson sur leurs répondants, comme prop.test de R sans correction de continuité.",
        "en": "Shares of unweighted groups (with no population figures to weight them to) have a Wilson interval "
              "on their respondents, as R's prop.test without continuity correction.",
    },
    "interval_logit": {
        "nl": "Aandelen waarvan de downloads logit als interval noemen, hebben een logit-interval, met t op de "
              "vrijheidsgraden van hun groep.",
        "fr": "Les parts dont l'intervalle est logit dans les téléchargements ont un intervalle logit, "
              "avec t sur les degrés de liberté de leur groupe.",
        "en": "Shares whose interval is logit in the downloads have a logit interval, with t on the "
              "degrees of freedom of their group.",
    },
    "interval_wald": {
        "nl": "Gemiddelden, indexen en verschillen hebben als interval de schatting ± 1,96 standaardfouten (Wald); "
              "de standaardfout van een verschil tussen twee groepen respondenten is de wortel uit de som van hun "
              "gekwadrateerde standaardfouten. Aantallen hebben geen interval. De downloads noemen bij elke rij het "
              "soort interval en zijn vrijheidsgraden.",
        "fr": "Les moyennes, indices et écarts ont pour intervalle l'estimation ± 1,96 erreur type (Wald) ; "
              "l'erreur type d'un écart entre deux groupes de répondants est la racine de la somme de leurs erreurs "
              "types au carré. Les effectifs n'ont pas d'intervalle. Les téléchargements indiquent pour chaque "
              "ligne le type d'intervalle et ses degrés de liberté.",
        "en": "Means, indices and differences have the estimate ± 1.96 standard errors as their interval (Wald); "
              "the standard error of a difference between two groups of respondents is the square root of the sum "
              "of their squared standard errors. Counts have no interval. The downloads name each row's interval "
              "method and its degrees of freedom.",
    },
    # The NCHS data presentation standards with the study's numbers: {n_eff} the minimum Korn-Graubard effective
    # size, {width} and {present} interval widths in percentage points, {relative} a share of the estimate
    # ("130%"), {df} the minimum degrees of freedom; {withhold}, {footnote}, {review} the marks.
    "nchs_heading": {"nl": "Betrouwbaarheid van aandelen", "fr": "Fiabilité des parts",
                     "en": "Reliability of shares"},
    "nchs_rules": {
        "nl": "Aandelen van gewogen vragenlijsten worden getoetst aan de normen voor het publiceren van aandelen "
              "van het Amerikaanse National Center for Health Statistics (NCHS; Parker e.a. 2017), met de getallen "
              "van deze studie. Volgens die normen zou een aandeel niet gepubliceerd worden wanneer zijn effectieve "
              "steekproefgrootte volgens Korn-Graubard onder {n_eff} ligt, wanneer zijn 95%-interval {width} "
              "procentpunten breed is of meer, of wanneer een interval van meer dan {present} procentpunten breder "
              "is dan {relative} van het aandeel. Zo niet, dan wordt het aandeel getoond, met een voetnoot wanneer "
              "het interval breder is dan {relative} van het complement (100% min het aandeel). Een aandeel met "
              "minder dan {df} vrijheidsgraden, of met een schatting van precies 0% of 100%, krijgt een teken ter "
              "statistische beoordeling.",
        "fr": "Les parts des questionnaires pondérés sont confrontées aux normes de présentation des proportions du "
              "National Center for Health Statistics américain (NCHS ; Parker et al. 2017), avec les valeurs de "
              "cette étude. Selon ces normes, une part ne serait pas publiée lorsque sa taille effective de "
              "Korn-Graubard est inférieure à {n_eff}, lorsque son intervalle à 95 % couvre {width} points de "
              "pourcentage ou plus, ou lorsqu'un intervalle de plus de {present} points est plus large que "
              "{relative} de la part. Sinon, la part est affichée, avec une note lorsque l'intervalle est plus "
              "large que {relative} du complément (100 % moins la part). Une part qui a moins de {df} degrés de "
              "liberté, ou une estimation d'exactement 0 % ou 100 %, reçoit un signe pour examen statistique.",
        "en": "Shares of weighted questionnaires are checked against the data presentation standards for "
              "proportions of the US National Center for Health Statistics (NCHS; Parker et al. 2017), with this "
              "study's numbers. Under them a share would be withheld when its Korn-Graubard effective sample size "
              "is under {n_eff}, when its 95% interval spans {width} percentage points or more, or when an interval "
              "of more than {present} points is wider than {relative} of the share. Otherwise the share is shown, "
              "with a footnote when its interval is wider than {relative} of its complement (100% minus the share). "
              "A share with fewer than {df} degrees of freedom, or an estimate of exactly 0% or 100%, is marked for "
              "statistical review.",
    },
    "nchs_action_flag": {
        "nl": "Deze studie houdt zulke aandelen niet achter: ze worden gepubliceerd met een teken ({withhold} zou "
              "volgens de normen niet gepubliceerd worden, {footnote} voetnoot, {review} ter statistische "
              "beoordeling), uitgelegd onder elke tabel waarin het voorkomt. Lees een aandeel met {withhold} met "
              "grote voorzichtigheid.",
        "fr": "Cette étude ne masque pas ces parts : elle les publie avec un signe ({withhold} ne serait pas publiée "
              "selon les normes, {footnote} note, {review} à soumettre à un examen statistique), expliqué sous "
              "chaque tableau où il figure. Lisez une part marquée {withhold} avec beaucoup de prudence.",
        "en": "This study does not withhold such shares: it publishes them with a mark ({withhold} would be withheld "
              "under the standards, {footnote} footnote, {review} for statistical review), explained under each "
              "table that has one. Read a share marked {withhold} with great care.",
    },
    "nchs_action_suppress": {
        "nl": "Deze studie houdt de aandelen achter die de normen niet zouden publiceren: zo'n cel is een lege "
              "plaats met de reden erbij. De andere worden gepubliceerd, met een teken ({footnote} voetnoot, "
              "{review} ter statistische beoordeling) dat onder elke tabel waarin het voorkomt uitgelegd wordt.",
        "fr": "Cette étude masque les parts que les normes ne publieraient pas : une telle cellule est une place "
              "vide accompagnée de sa raison. Les autres sont publiées, avec un signe ({footnote} note, {review} à "
              "soumettre à un examen statistique) expliqué sous chaque tableau où il figure.",
        "en": "This study withholds the shares the standards would not publish: such a cell is an empty place with "
              "its reason. The others are published, with a mark ({footnote} footnote, {review} for statistical "
              "review) explained under each table that has one.",
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
    # The provenance table's columns (dashboards.model.PROVENANCE_COLUMNS), said in words.
    "provenance_margins_version": {"nl": "Versie van de bevolkingscijfers", "fr": "Version des chiffres de population",
                                   "en": "Version of the population figures"},
    "provenance_code_version": {"nl": "Versie van de software", "fr": "Version du logiciel",
                                "en": "Version of the software"},
    "instrument": {"nl": "Vragenlijst", "fr": "Questionnaire", "en": "Questionnaire"},
    "version": {"nl": "Versie", "fr": "Version", "en": "Version"},
    # What changed since each wave's previous update (MethodFacts.changes): published changes only.
    "changes_heading": {"nl": "Wat veranderde sinds de vorige bijwerking", "fr": "Ce qui a changé depuis la mise à "
                        "jour précédente", "en": "What changed since the previous update"},
    "changes_intro": {
        "nl": "Elke bijwerking berekent de cijfers van een golf opnieuw. Per golf: wat er veranderde sinds de vorige "
              "bijwerking die iets veranderde.",
        "fr": "Chaque mise à jour recalcule les chiffres d'une vague. Par vague : ce qui a changé depuis la mise à "
              "jour précédente qui a changé quelque chose.",
        "en": "Each update computes a wave's figures again. Per wave: what changed since the previous update that "
              "changed something.",
    },
    "changes_first": {"nl": "Golf {wave}, eerste bijwerking: niets om mee te vergelijken.",
                      "fr": "Vague {wave}, première mise à jour : rien à comparer.",
                      "en": "Wave {wave}, first update: nothing to compare."},
    # {responses}: changes_responses or changes_responses_unknown; {versions}: changes_versions or
    # changes_no_versions.
    "changes_wave": {
        "nl": "Golf {wave}, sinds de vorige bijwerking: {responses}; {versions}; cijfers die meer dan hun "
              "standaardfout verschoven: {moved}; cellen nu verborgen: {suppressed}, weer getoond: {released}.",
        "fr": "Vague {wave}, depuis la mise à jour précédente : {responses} ; {versions} ; chiffres ayant bougé de "
              "plus que leur erreur type : {moved} ; cellules désormais masquées : {suppressed}, de nouveau "
              "affichées : {released}.",
        "en": "Wave {wave}, since the previous update: {responses}; {versions}; figures that moved by more than "
              "their standard error: {moved}; cells now hidden: {suppressed}, shown again: {released}.",
    },
    "changes_responses": {"nl": "nieuwe antwoorden: {new}, gecorrigeerd: {edited}",
                          "fr": "réponses nouvelles : {new}, corrigées : {edited}",
                          "en": "new responses: {new}, corrected: {edited}"},
    "changes_responses_unknown": {"nl": "nieuwe antwoorden niet bijgehouden", "fr": "nouvelles réponses non suivies",
                                  "en": "new responses not recorded"},
    "changes_versions": {"nl": "nieuwe versie: {what}", "fr": "nouvelle version : {what}", "en": "new version: {what}"},
    "changes_no_versions": {"nl": "dezelfde vragenlijsten, bevolkingscijfers en software",
                            "fr": "mêmes questionnaires, chiffres de population et logiciel",
                            "en": "same questionnaires, population figures and software"},
    "changed_instrument": {"nl": "vragenlijst ({name})", "fr": "questionnaire ({name})",
                           "en": "questionnaire ({name})"},
    "changed_instruments": {"nl": "vragenlijsten", "fr": "questionnaires", "en": "questionnaires"},
    "changed_margins": {"nl": "bevolkingscijfers", "fr": "chiffres de population", "en": "population figures"},
    "changed_code": {"nl": "software", "fr": "logiciel", "en": "software"},
    "changes_caption": {"nl": "Gewijzigde cijfers", "fr": "Chiffres modifiés", "en": "Changed figures"},
    "changes_listed": {"nl": "De {shown} grootste van {total} wijzigingen staan hieronder.",
                       "fr": "Les {shown} plus grands des {total} changements figurent ci-dessous.",
                       "en": "The {shown} largest of {total} changes are listed below."},
    "changes_figure": {"nl": "Cijfer", "fr": "Chiffre", "en": "Figure"},
    "changes_group": {"nl": "Groep", "fr": "Groupe", "en": "Group"},
    "changes_in_group": {"nl": "{breakdown}: {domain}", "fr": "{breakdown} : {domain}", "en": "{breakdown}: {domain}"},
    "changes_change": {"nl": "Wijziging", "fr": "Changement", "en": "Change"},
    "changes_se": {"nl": "Standaardfout", "fr": "Erreur type", "en": "Standard error"},
    "changes_hidden": {"nl": "nu verborgen", "fr": "désormais masquée", "en": "now hidden"},
    "changes_released": {"nl": "weer getoond", "fr": "de nouveau affichée", "en": "shown again"},
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
    # {names}: the study's breakdowns and instruments, as codes.
    "col_breakdown": {"nl": "uitsplitsing: all (alle respondenten) of een van {names}",
                      "fr": "ventilation : all (tous les répondants) ou l'une de {names}",
                      "en": "breakdown: all (every respondent) or one of {names}"},
    "col_domain": {"nl": "categorie binnen de uitsplitsing (code uit het codeboek)",
                   "fr": "catégorie de la ventilation (code du livre de codes)",
                   "en": "category within the breakdown (codebook code)"},
    "col_instrument": {"nl": "vragenlijst: {names}", "fr": "questionnaire : {names}",
                       "en": "questionnaire: {names}"},
    "col_estimate": {"nl": "schatting (aandeel 0-1, index 0-100, gemiddelde 1-5, aantal of verschil)",
                     "fr": "estimation (part 0-1, indice 0-100, moyenne 1-5, effectif ou écart)",
                     "en": "estimate (share 0-1, index 0-100, mean 1-5, count or difference)"},
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
    "col_ci_method": {
        "nl": "interval: beta (Korn-Graubard, aandelen), clopper-pearson of wilson (aandelen van een ongewogen "
              "groep), logit, wald (schatting ± 1,96 standaardfouten: gemiddelden, indexen, verschillen) of none "
              "(aantallen)",
        "fr": "intervalle : beta (Korn-Graubard, parts), clopper-pearson ou wilson (parts d'un groupe non pondéré), "
              "logit, wald (estimation ± 1,96 erreur type : moyennes, indices, écarts) ou none (effectifs)",
        "en": "interval: beta (Korn-Graubard, shares), clopper-pearson or wilson (an unweighted group's shares), "
              "logit, wald (estimate ± 1.96 standard errors: means, indices, differences) or none (counts)",
    },
    "col_df": {
        "nl": "vrijheidsgraden van het interval: de eigen clusters van de groep min haar strata (zonder clusters "
              "haar respondenten min haar strata); leeg waar n niet getoond wordt",
        "fr": "degrés de liberté de l'intervalle : les grappes propres au groupe moins ses strates (sans grappes, "
              "ses répondants moins ses strates) ; vide lorsque n n'est pas affiché",
        "en": "degrees of freedom of the interval: the group's own clusters minus its strata (without clusters, "
              "its respondents minus its strata); empty where n is not shown",
    },
    "col_n_eff_kg": {"nl": "effectieve steekproefgrootte van een aandeel volgens Korn-Graubard (hoogstens n)",
                     "fr": "taille effective de l'échantillon d'une part selon Korn-Graubard (au plus n)",
                     "en": "effective sample size of a share after Korn-Graubard (at most n)"},
    "col_weighted": {"nl": "gewogen (true) of niet", "fr": "pondéré (true) ou non", "en": "weighted (true) or not"},
    "col_low_n_eff": {"nl": "true: effectieve steekproefgrootte onder 30, met voorzichtigheid lezen",
                      "fr": "true : taille effective de l'échantillon inférieure à 30, à lire avec prudence",
                      "en": "true: effective sample size under 30, read with care"},
    # {names}: the codes of the study's rules, with its numbers.
    "col_nchs_flag": {
        "nl": "NCHS-normen, voor aandelen van gewogen vragenlijsten: present, of de regels die op het aandeel van "
              "toepassing zijn, gescheiden door ';' ({names}; zie de methodepagina); leeg voor andere rijen",
        "fr": "normes de présentation du NCHS, pour les parts des questionnaires pondérés : present, ou les règles "
              "qui s'appliquent à la part, séparées par « ; » ({names} ; voir la page de méthode) ; vide pour les "
              "autres lignes",
        "en": "NCHS presentation standards, for the shares of weighted questionnaires: present, or the rules the "
              "share meets, separated by ';' ({names}; see the method page); empty for other rows",
    },
    "col_suppressed": {"nl": "true: cel verborgen, schatting leeg", "fr": "true : cellule masquée, estimation vide",
                       "en": "true: cell hidden, estimate empty"},
    "col_reason": {"nl": "waarom de cel verborgen is", "fr": "pourquoi la cellule est masquée",
                   "en": "why the cell is hidden"},
    "col_numerator": {"nl": "een ongewogen aandeel: het aantal respondenten geteld, van n",
                      "fr": "une part non pondérée : le nombre de répondants comptés, sur n",
                      "en": "an unweighted share: the number of respondents counted, of n"},
    "col_as_count": {"nl": "true: gepubliceerd als aantal van n, zonder percentage (te weinig respondenten)",
                     "fr": "true : publié comme nombre sur n, sans pourcentage (trop peu de répondants)",
                     "en": "true: published as a count of n, without a percentage (too few respondents)"},
    "col_unit": {"nl": "eenheid: proportion, index, mean, count of difference",
                 "fr": "unité : proportion, index, mean, count ou difference",
                 "en": "unit: proportion, index, mean, count or difference"},
}

_PANEL = {
    "page_panel": {"nl": "Dezelfde personen gevolgd", "fr": "Les mêmes personnes suivies",
                   "en": "The same persons followed"},
    "panel_intro": {
        "nl": "Dezelfde {respondents} beantwoorden bij elke meting dezelfde vragen en worden gevolgd met hun pseudoniem. Een "
              "verandering wordt alleen gemeten bij wie aan beide metingen deelnam (de paren), en pas vanaf {min_pairs} "
              "paren; wie afhaakte of later aansloot, staat ernaast en telt niet mee in de verandering.",
        "fr": "Les mêmes {respondents} répondent aux mêmes questions à chaque mesure et sont suivis par leur pseudonyme. Un "
              "changement n'est mesuré que chez les personnes présentes aux deux mesures (les paires), et seulement à "
              "partir de {min_pairs} paires ; les départs et les arrivées tardives sont indiqués à côté et n'entrent "
              "pas dans le changement.",
        "en": "The same {respondents} answer the same questions at every measurement and are followed by their pseudonym. A "
              "change is measured only on those present at both measurements (the pairs), and only from {min_pairs} "
              "pairs; those who dropped out or joined later are shown beside it and never count in the change.",
    },
    "panel_presence": {"nl": "Wie deelnam", "fr": "Qui a participé", "en": "Who took part"},
    "panel_presence_caption": {"nl": "{respondents}: aanwezig per meting, en wie bleef, aansloot, terugkwam of "
                                     "afhaakte",
                               "fr": "{respondents} : présents à chaque mesure, et qui est resté, arrivé, revenu ou "
                                     "parti",
                               "en": "{respondents}: present at each measurement, and who stayed, joined, returned "
                                     "or dropped out"},
    "panel_wave": {"nl": "Meting", "fr": "Mesure", "en": "Measurement"},
    "panel_present": {"nl": "Aanwezig", "fr": "Présents", "en": "Present"},
    "panel_stayed": {"nl": "Ook vorige keer", "fr": "Déjà la fois précédente", "en": "Also last time"},
    "panel_joined": {"nl": "Nieuw", "fr": "Nouveaux", "en": "New"},
    "panel_returned": {"nl": "Teruggekomen", "fr": "Revenus", "en": "Returned"},
    "panel_dropped": {"nl": "Afgehaakt sinds vorige keer", "fr": "Partis depuis la fois précédente",
                      "en": "Dropped out since last time"},
    "panel_ranked": {"nl": "{measure}: gerangschikt per meting", "fr": "{measure} : classement par mesure",
                     "en": "{measure}: ranked at each measurement"},
    "panel_rank": {"nl": "Rang", "fr": "Rang", "en": "Rank"},
    "panel_changes": {"nl": "Verandering bij dezelfde personen", "fr": "Changement chez les mêmes personnes",
                      "en": "Change in the same persons"},
    "panel_changes_caption": {"nl": "{respondents}: verandering tussen twee metingen, alleen bij wie aan beide "
                                    "deelnam",
                              "fr": "{respondents} : changement entre deux mesures, seulement chez les personnes "
                                    "présentes aux deux",
                              "en": "{respondents}: change between two measurements, only in those present at both"},
    "panel_between": {"nl": "Metingen", "fr": "Mesures", "en": "Measurements"},
    "panel_pairs": {"nl": "Paren", "fr": "Paires", "en": "Pairs"},
    "panel_direction": {"nl": "Hoger / gelijk / lager", "fr": "Plus haut / pareil / plus bas",
                        "en": "Higher / same / lower"},
    "panel_values": {"nl": "Vóór → na (paren)", "fr": "Avant → après (paires)", "en": "Before → after (pairs)"},
    "panel_test": {"nl": "p (toets)", "fr": "p (test)", "en": "p (test)"},
    "panel_effect": {"nl": "Effectgrootte", "fr": "Taille d'effet", "en": "Effect size"},
    "panel_others": {"nl": "Alleen vóór / alleen na", "fr": "Seulement avant / seulement après",
                     "en": "Only before / only after"},
    "panel_too_few": {"nl": "— minder dan {min_pairs} paren", "fr": "— moins de {min_pairs} paires",
                      "en": "— fewer than {min_pairs} pairs"},
    "panel_no_change": {"nl": "niemand veranderde: geen toets", "fr": "personne n'a changé : pas de test",
                        "en": "nobody changed: no test"},
    "counts_only_note": {
        "nl": "Geen grafiek: deze cijfers rusten op te weinig respondenten voor een percentage en staan als aantallen "
              "in de tabel.",
        "fr": "Pas de graphique : ces chiffres reposent sur trop peu de répondants pour un pourcentage et figurent "
              "comme nombres dans le tableau.",
        "en": "No chart: these figures rest on too few respondents for a percentage and are given as counts in the "
              "table.",
    },
    "counts_rule": {
        "nl": "Een aandeel van een ongewogen groep van minder dan {min_n} respondenten staat er als aantal (12 van 18), "
              "zonder percentage of interval: zo weinig antwoorden dragen geen percentage.",
        "fr": "Une part d'un groupe non pondéré de moins de {min_n} répondants est donnée comme nombre (12 sur 18), "
              "sans pourcentage ni intervalle : si peu de réponses ne portent pas un pourcentage.",
        "en": "A share of an unweighted group of fewer than {min_n} respondents is given as a count (12 of 18), "
              "without a percentage or interval: so few answers do not carry a percentage.",
    },
    "panel_rule": {
        "nl": "Een panel (dezelfde personen bij elke meting) toont de verandering tussen twee metingen alleen bij "
              "wie er beide keren was, en pas vanaf {min_pairs} zulke personen; wie afhaakte of later aansloot, "
              "wordt apart geteld.",
        "fr": "Un panel (les mêmes personnes à chaque mesure) ne montre le changement entre deux mesures que chez "
              "les personnes présentes les deux fois, et seulement à partir de {min_pairs} d'entre elles ; les "
              "départs et les arrivées tardives sont comptés à part.",
        "en": "A panel (the same persons at every measurement) shows the change between two measurements only in "
              "those present both times, and only from {min_pairs} of them; those who dropped out or joined later "
              "are counted apart.",
    },
    "panel_withheld": {"nl": "— niet getoond: minder dan {min_n} personen waren op maar één van beide",
                       "fr": "— non montré : moins de {min_n} personnes n'étaient qu'à une seule des deux",
                       "en": "— not shown: fewer than {min_n} persons were at only one of the two"},
    "panel_levels_note": {
        "nl": "Een — bij vóór → na: de niveaus van de paren staan er niet waar minder dan {min_n} personen (maar "
              "meer dan nul) op maar één van beide metingen waren (het cijfer van de meting min dat van de paren "
              "zou het hunne geven), en gemiddelden pas vanaf {min_group} paren.",
        "fr": "Un — dans avant → après : les niveaux des paires ne sont pas donnés lorsque moins de {min_n} "
              "personnes (mais plus de zéro) n'étaient qu'à une des deux mesures (le chiffre de la mesure moins "
              "celui des paires donnerait le leur), et les moyennes seulement à partir de {min_group} paires.",
        "en": "A — in before → after: the pairs' levels are not given where fewer than {min_n} persons (but more "
              "than none) were at only one of the two measurements (the measurement's figure less the pairs' "
              "would give theirs), and means only from {min_group} pairs.",
    },
    "panel_medians": {"nl": "mediaan {medians}", "fr": "médiane {medians}", "en": "median {medians}"},
    "panel_wilcoxon": {"nl": "Wilcoxon", "fr": "Wilcoxon", "en": "Wilcoxon"},
    "panel_mcnemar": {"nl": "McNemar, exact", "fr": "McNemar, exact", "en": "McNemar, exact"},
    "panel_method": {
        "nl": "Verandering op een schaal: Wilcoxons rangtekentoets voor gepaarde metingen (zoals R's wilcox.test "
              "met paired = TRUE), met de rangbiseriële correlatie als effectgrootte (-1 tot 1: 1 als iedereen die "
              "veranderde erop vooruitging). Ja/nee: de exacte McNemar-toets op wie van antwoord veranderde (R's "
              "binom.test). Geen correctie voor meervoudig toetsen: lees een enkele kleine p met voorzichtigheid.",
        "fr": "Changement sur une échelle : test des rangs signés de Wilcoxon pour mesures appariées (comme wilcox.test "
              "de R avec paired = TRUE), avec la corrélation bisériale de rang comme taille d'effet (de -1 à 1 : 1 si "
              "tous ceux qui ont changé ont progressé). Oui/non : le test exact de McNemar sur ceux qui ont changé de "
              "réponse (binom.test de R). Aucune correction pour tests multiples : lisez un p isolé avec prudence.",
        "en": "Change on a scale: Wilcoxon's signed-rank test for paired measurements (as R's wilcox.test with "
              "paired = TRUE), with the rank-biserial correlation as effect size (-1 to 1: 1 when everyone who "
              "changed went up). Yes/no: the exact McNemar test on those whose answer changed (R's binom.test). No "
              "correction for multiple testing: read a single small p with caution.",
    },
}

# The internal fieldwork monitor (dashboards/fieldwork.py): never part of the public site.
_MONITOR = {
    "fw_title": {"nl": "Veldwerk, golf {wave}", "fr": "Terrain, vague {wave}", "en": "Fieldwork, wave {wave}"},
    "fw_internal": {
        "nl": "Interne pagina voor het onderzoeksteam: de aantallen zijn klein en niet voor publicatie.",
        "fr": "Page interne pour l'équipe de recherche : les effectifs sont petits et ne sont pas à publier.",
        "en": "Internal page for the research team: the counts are small and not for publication.",
    },
    "fw_about": {
        "nl": "Volledige antwoorden tegenover de doelen van het veldwerkplan, het tempo van de laatste 7 dagen en "
              "de datum waarop elk doel bij dat tempo bereikt wordt.",
        "fr": "Réponses complètes face aux objectifs du plan de terrain, le rythme des 7 derniers jours et la date "
              "à laquelle chaque objectif sera atteint à ce rythme.",
        "en": "Complete responses against the fieldwork plan's targets, the pace of the last 7 days and the date "
              "each target is reached at that pace.",
    },
    "fw_window": {"nl": "Veldwerk van {start} tot {end}; stand op {day}.",
                  "fr": "Terrain du {start} au {end} ; situation au {day}.",
                  "en": "Fieldwork from {start} to {end}; as of {day}."},
    "fw_loaded": {"nl": "Antwoorden geladen tot {when} (UTC).", "fr": "Réponses chargées jusqu'au {when} (UTC).",
                  "en": "Responses loaded up to {when} (UTC)."},
    "fw_nothing_loaded": {"nl": "Nog geen antwoorden geladen.", "fr": "Aucune réponse chargée pour l'instant.",
                          "en": "No responses loaded yet."},
    "fw_summary": {
        "nl": "{complete} van {goal} volledige antwoorden ({share}), {partial} onvolledige; {pace} per dag: {status}.",
        "fr": "{complete} réponses complètes sur {goal} ({share}), {partial} incomplètes ; {pace} par jour : {status}.",
        "en": "{complete} of {goal} complete responses ({share}), {partial} partial; {pace} a day: {status}.",
    },
    "fw_summary_no_goal": {"nl": "{complete} volledige antwoorden, {partial} onvolledige.",
                           "fr": "{complete} réponses complètes, {partial} incomplètes.",
                           "en": "{complete} complete responses, {partial} partial."},
    "fw_projected": {"nl": "Bij dit tempo bereikt op {day} (het veldwerk loopt tot {end}).",
                     "fr": "À ce rythme, atteint le {day} (le terrain se termine le {end}).",
                     "en": "At this pace, reached on {day} (fieldwork ends on {end})."},
    "fw_reached": {"nl": "bereikt", "fr": "atteint", "en": "reached"},
    "fw_on_track": {"nl": "op schema", "fr": "dans les temps", "en": "on track"},
    "fw_behind": {"nl": "achter op schema", "fr": "en retard", "en": "behind"},
    "fw_stalled": {"nl": "geen nieuwe antwoorden in 7 dagen", "fr": "aucune nouvelle réponse en 7 jours",
                   "en": "no new responses in 7 days"},
    "fw_closed": {"nl": "niet bereikt, veldwerk afgelopen", "fr": "non atteint, terrain terminé",
                  "en": "not reached, fieldwork over"},
    "fw_not_started": {"nl": "veldwerk nog niet begonnen", "fr": "terrain pas encore commencé",
                       "en": "fieldwork not started yet"},
    "fw_no_target": {"nl": "geen doel", "fr": "pas d'objectif", "en": "no target"},
    "fw_cumulative": {"nl": "Volledige antwoorden (cumulatief)", "fr": "Réponses complètes (cumul)",
                      "en": "Complete responses (cumulative)"},
    "fw_target_line": {"nl": "Doel", "fr": "Objectif", "en": "Target"},
    "fw_projection": {"nl": "Projectie bij huidig tempo", "fr": "Projection au rythme actuel",
                      "en": "Projection at the current pace"},
    "fw_completes": {"nl": "Volledige antwoorden", "fr": "Réponses complètes", "en": "Complete responses"},
    "fw_chart_label": {"nl": "Grafiek: volledige antwoorden per dag, cumulatief, met het doel",
                       "fr": "Graphique : réponses complètes par jour, en cumul, avec l'objectif",
                       "en": "Chart: complete responses by day, cumulative, with the target"},
    "fw_chart_caption": {"nl": "Dezelfde cijfers staan in de tabel per dag hieronder.",
                         "fr": "Les mêmes chiffres figurent dans le tableau par jour ci-dessous.",
                         "en": "The same numbers are in the table by day below."},
    "fw_daily": {"nl": "Antwoorden per dag", "fr": "Réponses par jour", "en": "Responses by day"},
    "fw_by": {"nl": "Per {title}", "fr": "Par {title}", "en": "By {title}"},
    "fw_targets_caption": {"nl": "Doelen per {title}", "fr": "Objectifs par {title}", "en": "Targets by {title}"},
    "fw_no_answer": {"nl": "(niet beantwoord)", "fr": "(sans réponse)", "en": "(no answer)"},
    "fw_col_category": {"nl": "Categorie", "fr": "Catégorie", "en": "Category"},
    "fw_col_target": {"nl": "Doel", "fr": "Objectif", "en": "Target"},
    "fw_col_complete": {"nl": "Volledig", "fr": "Complètes", "en": "Complete"},
    "fw_col_partial": {"nl": "Onvolledig", "fr": "Incomplètes", "en": "Partial"},
    "fw_col_share": {"nl": "Van het doel", "fr": "De l'objectif", "en": "Of target"},
    "fw_col_pace": {"nl": "Per dag", "fr": "Par jour", "en": "Per day"},
    "fw_col_projected": {"nl": "Bereikt op", "fr": "Atteint le", "en": "Reached on"},
    "fw_col_status": {"nl": "Stand", "fr": "État", "en": "Status"},
    "fw_col_day": {"nl": "Dag", "fr": "Jour", "en": "Day"},
    "fw_col_cumulative": {"nl": "Cumulatief volledig", "fr": "Cumul des complètes", "en": "Cumulative complete"},
    "fw_invitations": {"nl": "Uitnodigingen", "fr": "Invitations", "en": "Invitations"},
    "fw_no_server": {"nl": "Deze enquête wordt uit exportbestanden gelezen: er zijn geen deelnemers te tonen.",
                     "fr": "Cette enquête est lue à partir de fichiers d'export : pas de participants à montrer.",
                     "en": "This survey is read from export files: there are no participants to show."},
    "fw_server_counts": {
        "nl": "Nu op de server: {complete} volledige en {partial} onvolledige antwoorden; {participants} deelnemers, "
              "{invited} uitgenodigd, {done} klaar.",
        "fr": "Maintenant sur le serveur : {complete} réponses complètes et {partial} incomplètes ; {participants} "
              "participants, {invited} invités, {done} terminés.",
        "en": "On the server now: {complete} complete and {partial} partial responses; {participants} participants, "
              "{invited} invited, {done} completed.",
    },
    "fw_server_failed": {"nl": "De LimeSurvey-server kon niet gelezen worden: {reason}",
                         "fr": "Le serveur LimeSurvey n'a pas pu être lu : {reason}",
                         "en": "The LimeSurvey server could not be read: {reason}"},
    "fw_open_link": {"nl": "De enquête heeft geen deelnemerstabel (een open link): er zijn geen uitnodigingen.",
                     "fr": "L'enquête n'a pas de table de participants (un lien ouvert) : pas d'invitations.",
                     "en": "The survey has no participant table (an open link): there are no invitations."},
    "fw_no_participants": {"nl": "De enquête heeft geen deelnemers.", "fr": "L'enquête n'a pas de participants.",
                           "en": "The survey has no participants."},
    "fw_batches_caption": {"nl": "Respons per uitnodigingsronde", "fr": "Réponse par vague d'invitations",
                           "en": "Response by invitation batch"},
    "fw_col_batch": {"nl": "Uitgenodigd op", "fr": "Invités le", "en": "Invited on"},
    "fw_col_participants": {"nl": "Deelnemers", "fr": "Participants", "en": "Participants"},
    "fw_col_reminded": {"nl": "Herinnerd", "fr": "Relancés", "en": "Reminded"},
    "fw_col_completed": {"nl": "Klaar", "fr": "Terminés", "en": "Completed"},
    "fw_col_rate": {"nl": "Respons", "fr": "Taux de réponse", "en": "Response rate"},
    "fw_not_invited": {"nl": "Nog niet uitgenodigd", "fr": "Pas encore invités", "en": "Not invited yet"},
}

# Nothing empty (issue 22, part 5): a section whose every figure is withheld is one sentence saying why (why_<rule>,
# joined) and what would make it publishable (needs_<rule>), with the study's own numbers; never a table of dashes.
_NOTHING_EMPTY = {
    "all_withheld_sentence": {
        "nl": "Geen van deze cijfers kan gepubliceerd worden: {why}; daarvoor is nodig: {needs}.",
        "fr": "Aucun de ces chiffres ne peut être publié : {why} ; il faudrait pour cela {needs}.",
        "en": "None of these figures can be published: {why}; publishing them would take {needs}.",
    },
    "gaps_withheld_wave": {
        "nl": "Geen enkel verschil van golf {wave} kan gepubliceerd worden: {why}; daarvoor is nodig: {needs}.",
        "fr": "Aucun écart de la vague {wave} ne peut être publié : {why} ; il faudrait pour cela {needs}.",
        "en": "No gap of wave {wave} can be published: {why}; publishing them would take {needs}.",
    },
    "why_primary": {"nl": "minder dan {min_n} respondenten per groep", "fr": "moins de {min_n} répondants par groupe",
                    "en": "fewer than {min_n} respondents per group"},
    "needs_primary": {"nl": "minstens {min_n} respondenten per groep", "fr": "au moins {min_n} répondants par groupe",
                      "en": "at least {min_n} respondents per group"},
    "why_secondary": {"nl": "anders is een verborgen cijfer uit de andere af te leiden",
                      "fr": "sinon un chiffre masqué se déduirait des autres",
                      "en": "a hidden figure could otherwise be worked out from the others"},
    "why_alpha_below": {
        "nl": "de items vormen geen betrouwbare schaal (Cronbachs alfa onder {alpha})",
        "fr": "les items ne forment pas une échelle fiable (alpha de Cronbach inférieur à {alpha})",
        "en": "the items do not form a reliable scale (Cronbach's alpha below {alpha})",
    },
    "needs_alpha_below": {
        "nl": "een betrouwbaarheid van de schaal (Cronbachs alfa) van minstens {alpha}",
        "fr": "une fiabilité de l'échelle (alpha de Cronbach) d'au moins {alpha}",
        "en": "a scale reliability (Cronbach's alpha) of at least {alpha}",
    },
    "why_alpha_not_computable": {
        "nl": "te weinig volledige antwoorden om de betrouwbaarheid van de schaal na te gaan",
        "fr": "trop peu de réponses complètes pour vérifier la fiabilité de l'échelle",
        "en": "too few complete answers to check the scale's reliability",
    },
    "needs_alpha_not_computable": {
        "nl": "genoeg volledige antwoorden om de betrouwbaarheid van de schaal (Cronbachs alfa) te berekenen",
        "fr": "assez de réponses complètes pour calculer la fiabilité de l'échelle (alpha de Cronbach)",
        "en": "enough complete answers to compute the scale's reliability (Cronbach's alpha)",
    },
    "why_n_below": {"nl": "minder dan {n} {respondents} antwoordden", "fr": "moins de {n} {respondents} ont répondu",
                    "en": "fewer than {n} {respondents} answered"},
    "needs_n_below": {"nl": "minstens {n} {respondents}", "fr": "au moins {n} {respondents}",
                      "en": "at least {n} {respondents}"},
    "why_withheld_index": {"nl": "de index van de {respondents} wordt niet gepubliceerd",
                           "fr": "l'indice des {respondents} n'est pas publié",
                           "en": "the index of the {respondents} is not published"},
    "needs_withheld_index": {"nl": "een gepubliceerde index van de {respondents}",
                             "fr": "un indice publié des {respondents}",
                             "en": "a published index of the {respondents}"},
    "why_withheld_proportion": {"nl": "het aandeel bij de {respondents} wordt niet gepubliceerd",
                                "fr": "la part des {respondents} n'est pas publiée",
                                "en": "the share among the {respondents} is not published"},
    "needs_withheld_proportion": {"nl": "een gepubliceerd aandeel bij de {respondents}",
                                  "fr": "une part publiée des {respondents}",
                                  "en": "a published share among the {respondents}"},
    "why_withheld_mean": {"nl": "het gemiddelde van de {respondents} wordt niet gepubliceerd",
                          "fr": "la moyenne des {respondents} n'est pas publiée",
                          "en": "the mean of the {respondents} is not published"},
    "needs_withheld_mean": {"nl": "een gepubliceerd gemiddelde van de {respondents}",
                            "fr": "une moyenne publiée des {respondents}",
                            "en": "a published mean of the {respondents}"},
    "why_nchs_n_eff": {
        "nl": "te weinig effectieve respondenten voor een precies aandeel (minder dan {n}; NCHS-normen)",
        "fr": "trop peu de répondants effectifs pour une part fiable (moins de {n} ; normes du NCHS)",
        "en": "too few effective respondents for a reliable share (under {n}; NCHS standards)",
    },
    "needs_nchs_n_eff": {"nl": "een effectieve steekproef van minstens {n}",
                         "fr": "un échantillon effectif d'au moins {n}",
                         "en": "an effective sample of at least {n}"},
    "why_nchs_width": {
        "nl": "het 95%-interval is {width} procentpunten breed of meer (NCHS-normen)",
        "fr": "l'intervalle à 95 % couvre {width} points de pourcentage ou plus (normes du NCHS)",
        "en": "the 95% interval spans {width} percentage points or more (NCHS standards)",
    },
    "needs_nchs_width": {"nl": "een 95%-interval smaller dan {width} procentpunten",
                         "fr": "un intervalle à 95 % de moins de {width} points de pourcentage",
                         "en": "a 95% interval narrower than {width} percentage points"},
    "why_nchs_relative_width": {
        "nl": "het 95%-interval is breder dan {share} van het aandeel zelf (NCHS-normen)",
        "fr": "l'intervalle à 95 % est plus large que {share} de la part elle-même (normes du NCHS)",
        "en": "the 95% interval is wider than {share} of the share itself (NCHS standards)",
    },
    "needs_nchs_relative_width": {"nl": "een 95%-interval niet breder dan {share} van het aandeel",
                                  "fr": "un intervalle à 95 % pas plus large que {share} de la part",
                                  "en": "a 95% interval no wider than {share} of the share"},
    "why_other": {"nl": "ze voldoen niet aan een regel van de studie",
                  "fr": "ils ne satisfont pas à une règle de l'étude",
                  "en": "they do not meet one of the study's rules"},
    "needs_other": {"nl": "cijfers die aan de regels van de studie voldoen (zie de methodepagina)",
                    "fr": "des chiffres conformes aux règles de l'étude (voir la page de méthode)",
                    "en": "figures that meet the study's rules (see the method page)"},
}

# Issue 22, part 4: the map of a breakdown's areas drawn from the study's polygons (dashboards/area_map.py).
_AREA_MAP = {
    "map_intro_areas": {
        "nl": "Per {breakdown}, met alle respondenten samen als vergelijkingspunt.",
        "fr": "Par {breakdown}, avec l'ensemble des répondants comme point de comparaison.",
        "en": "By {breakdown}, with all respondents together as the reference.",
    },
    "area_map_label": {
        "nl": "Kaart: {title}. De cijfers staan op de kaart en in de tabel eronder.",
        "fr": "Carte : {title}. Les chiffres figurent sur la carte et dans le tableau ci-dessous.",
        "en": "Map: {title}. The figures are on the map and in the table below.",
    },
    "schematic_short": {"nl": "Schematische grenzen", "fr": "Limites schématiques", "en": "Schematic boundaries"},
    "schematic_boundaries": {
        "nl": "Schematische grenzen: met de hand vereenvoudigd en bij benadering, niet de officiële grenzen.",
        "fr": "Limites schématiques : simplifiées à la main et approximatives, pas les limites officielles.",
        "en": "Schematic boundaries: simplified by hand and approximate, not the official boundaries.",
    },
    "area_map_note": {
        "nl": "Elk gebied toont zijn waarde, het 95%-interval en n; de kleur herhaalt de waarde (donkerder is hoger).",
        "fr": "Chaque zone affiche sa valeur, l'intervalle à 95 % et n ; la couleur répète la valeur (plus foncé = "
              "plus élevé).",
        "en": "Each area prints its value, its 95% interval and n; the shade repeats the value (darker is higher).",
    },
    "legend_hatched": {"nl": "gearceerd: niet getoond (waarom: zie onder)",
                       "fr": "hachuré : non affiché (pourquoi : voir ci-dessous)",
                       "en": "hatched: not shown (why: see below)"},
    "legend_counted": {"nl": "wit: een aantal (k van n), zonder kleur",
                       "fr": "blanc : un effectif (k sur n), sans couleur", "en": "white: a count (k of n), not shaded"},
    "area_hidden": {"nl": "{area} (gearceerd): {reason}.", "fr": "{area} (hachuré) : {reason}.",
                    "en": "{area} (hatched): {reason}."},
}

_FINDINGS = {
    "findings_heading": {"nl": "Wat opvalt", "fr": "Ce qui ressort", "en": "Key findings"},
    "findings_intro": {
        "nl": "Alleen verschillen die groot genoeg zijn om zeker van te zijn: getoetst op 5%, samen met alle {count} "
              "vergelijkingen die deze pagina maakt (Holm). Elke zin verwijst naar zijn grafiek.",
        "fr": "Seules les différences assez grandes pour en être sûr : testées au seuil de 5 %, avec l'ensemble des "
              "{count} comparaisons que fait cette page (Holm). Chaque phrase renvoie à son graphique.",
        "en": "Only differences large enough to be sure of: tested at 5%, together with all {count} comparisons "
              "this page makes (Holm). Each sentence links to its chart."},
    "findings_none": {
        "nl": "Geen verschil tussen groepen, tussen golven of met een referentiewaarde was groot genoeg om er zeker "
              "van te zijn (getoetst op 5%, samen met alle {count} vergelijkingen, Holm).",
        "fr": "Aucune différence entre groupes, entre vagues ou avec une valeur de référence n'était assez grande "
              "pour en être sûr (testée au seuil de 5 %, avec l'ensemble des {count} comparaisons, Holm).",
        "en": "No difference between groups, between waves or against a benchmark was large enough to be sure of "
              "(tested at 5%, together with all {count} comparisons, Holm)."},
    "finding_pair": {
        "nl": "{label} ({wave}, per {breakdown}): {high} bij {high_group}, hoger dan {low} bij {low_group}.",
        "fr": "{label} ({wave}, par {breakdown}) : {high} pour {high_group}, plus que {low} pour {low_group}.",
        "en": "{label} ({wave}, by {breakdown}): {high} for {high_group}, higher than {low} for {low_group}."},
    "finding_rise": {
        "nl": "{label}: {after} in {wave_after}, gestegen van {before} in {wave_before}.",
        "fr": "{label} : {after} en {wave_after}, en hausse par rapport à {before} en {wave_before}.",
        "en": "{label}: {after} in {wave_after}, up from {before} in {wave_before}."},
    "finding_fall": {
        "nl": "{label}: {after} in {wave_after}, gedaald van {before} in {wave_before}.",
        "fr": "{label} : {after} en {wave_after}, en baisse par rapport à {before} en {wave_before}.",
        "en": "{label}: {after} in {wave_after}, down from {before} in {wave_before}."},
    "finding_above": {
        "nl": "{label} ({wave}): {value}, boven de referentiewaarde van {benchmark} ({source}).",
        "fr": "{label} ({wave}) : {value}, au-dessus de la valeur de référence de {benchmark} ({source}).",
        "en": "{label} ({wave}): {value}, above the benchmark of {benchmark} ({source})."},
    "finding_below": {
        "nl": "{label} ({wave}): {value}, onder de referentiewaarde van {benchmark} ({source}).",
        "fr": "{label} ({wave}) : {value}, en dessous de la valeur de référence de {benchmark} ({source}).",
        "en": "{label} ({wave}): {value}, below the benchmark of {benchmark} ({source})."},
    "finding_link": {"nl": "naar de grafiek", "fr": "voir le graphique", "en": "see the chart"},
    "findings_method": {
        "nl": "De zinnen bovenaan het overzicht kiest de statistiek, niet een mens: verschillen tussen twee "
              "categorieën van een vergeleken indeling (de standaardfout uit het steekproefontwerp, met de covariantie "
              "van beide schattingen, en een t-toets op de vrijheidsgraden van het ontwerp; voor een ongewogen "
              "vragenlijst Fishers exacte toets of Welchs t-toets), veranderingen sinds de vorige golf (z-toets) en de "
              "afstand tot een referentiewaarde die de studie opgeeft. Holms correctie geldt voor alle kandidaat-"
              "bevindingen van de pagina samen; alleen wie daarna onder 5% blijft, wordt getoond, hoogstens vijf, de "
              "duidelijkste eerst. Een verborgen cel of een telling is nooit deel van een bevinding.",
        "fr": "Les phrases en tête de l'aperçu sont choisies par la statistique, pas à la main : les différences "
              "entre deux catégories d'un critère comparé (l'erreur type selon le plan d'échantillonnage, avec la "
              "covariance des deux estimations, et un test t sur les degrés de liberté du plan ; pour un "
              "questionnaire non pondéré, le test exact de Fisher ou le test t de Welch), les évolutions depuis la "
              "vague précédente (test z) et l'écart à une valeur de référence déclarée par l'étude. La correction de "
              "Holm porte sur l'ensemble des constats candidats de la page ; seuls ceux qui restent sous 5 % sont "
              "montrés, cinq au plus, les plus nets d'abord. Une cellule masquée ou un décompte n'entre jamais dans "
              "un constat.",
        "en": "The sentences at the top of the overview are chosen by the statistics, not by hand: differences "
              "between two categories of a compared breakdown (the standard error from the sampling design, with the "
              "covariance of the two estimates, and a t test on the design's degrees of freedom; for an unweighted "
              "instrument Fisher's exact test or Welch's t test), changes since the previous wave (z test) and the "
              "distance to a benchmark the study declares. Holm's correction is applied to all candidate findings "
              "of the page together; only those still under 5% are shown, at most five, the clearest first. A "
              "withheld cell or a count is never part of a finding."},
}

# Factsheets (dashboards/pages/factsheet.py): a printable page per area and per subject.
_FACTSHEETS = {
    "page_factsheets": {"nl": "Factsheets", "fr": "Fiches", "en": "Factsheets"},
    "fs_index_intro": {
        "nl": "Elke pagina hieronder wordt apart afgedrukt: de kerncijfers van de laatste golf met hun "
              "95%-betrouwbaarheidsinterval, naast die van alle respondenten.",
        "fr": "Chaque page ci-dessous s'imprime seule : les chiffres clés de la dernière vague avec leur intervalle "
              "de confiance à 95 %, à côté de ceux de tous les répondants.",
        "en": "Each page below prints on its own: the key figures of the latest wave with their 95% confidence "
              "intervals, beside those of all respondents.",
    },
    "fs_subjects": {"nl": "Onderwerpen", "fr": "Sujets", "en": "Subjects"},
    "fs_links": {"nl": "Factsheet per gebied om af te drukken:", "fr": "Fiche à imprimer par zone :",
                 "en": "A factsheet to print per area:"},
    "fs_area_kind": {"nl": "Factsheet · {breakdown} · golf {wave}", "fr": "Fiche · {breakdown} · vague {wave}",
                     "en": "Factsheet · {breakdown} · wave {wave}"},
    "fs_subject_kind": {"nl": "Factsheet · onderwerp · golf {wave}", "fr": "Fiche · sujet · vague {wave}",
                        "en": "Factsheet · subject · wave {wave}"},
    "fs_area_intro": {
        "nl": "De kerncijfers van de {respondents} in {area}, golf {wave}, naast dezelfde cijfers voor alle "
              "respondenten van die golf.",
        "fr": "Les chiffres clés des {respondents} de {area}, vague {wave}, à côté des mêmes chiffres pour tous les "
              "répondants de cette vague.",
        "en": "The key figures of {respondents} in {area}, wave {wave}, beside the same figures for all respondents "
              "of that wave.",
    },
    "fs_subject_intro": {
        "nl": "Wat de {respondents} zeggen over {subject}, golf {wave}: alle cijfers over dit onderwerp, daarna de "
              "kerncijfers per gebied naast die van alle respondenten.",
        "fr": "Ce que disent les {respondents} de {subject}, vague {wave} : tous les chiffres sur ce sujet, puis les "
              "chiffres clés par zone à côté de ceux de tous les répondants.",
        "en": "What {respondents} say about {subject}, wave {wave}: every figure on this subject, then the key "
              "figures per area beside those of all respondents.",
    },
    "fs_all_withheld": {
        "nl": "Golf {wave}: elk cijfer van dit gebied is weggelaten ({reasons}). Hieronder de cijfers van golf "
              "{earlier}.",
        "fr": "Vague {wave} : chaque chiffre de cette zone est masqué ({reasons}). Ci-dessous, les chiffres de la "
              "vague {earlier}.",
        "en": "Wave {wave}: every figure of this area is withheld ({reasons}). Below are the figures of wave "
              "{earlier}.",
    },
    "fs_all_withheld_always": {
        "nl": "Elk cijfer van dit gebied is weggelaten ({reasons}).",
        "fr": "Chaque chiffre de cette zone est masqué ({reasons}).",
        "en": "Every figure of this area is withheld ({reasons}).",
    },
    "fs_key_figures": {"nl": "Kerncijfers", "fr": "Chiffres clés", "en": "Key figures"},
    "fs_area_caption": {"nl": "Kerncijfers, {area} en alle respondenten, golf {wave}",
                        "fr": "Chiffres clés, {area} et tous les répondants, vague {wave}",
                        "en": "Key figures, {area} and all respondents, wave {wave}"},
    "fs_subject_caption": {"nl": "Cijfers over {subject}, alle respondenten, golf {wave}",
                           "fr": "Chiffres sur {subject}, tous les répondants, vague {wave}",
                           "en": "Figures on {subject}, all respondents, wave {wave}"},
    "fs_by_area_caption": {"nl": "{indicator}, golf {wave}", "fr": "{indicator}, vague {wave}",
                           "en": "{indicator}, wave {wave}"},
    "fs_scale": {"nl": "Op de schaal van 0 tot 100", "fr": "Sur l'échelle de 0 à 100", "en": "On the 0 to 100 scale"},
    "fs_legend_dot": {
        "nl": "Stip en lijn: het cijfer en zijn 95%-interval (een percentage of een index op 0-100).",
        "fr": "Point et trait : le chiffre et son intervalle à 95 % (un pourcentage ou un indice sur 0-100).",
        "en": "Dot and line: the figure and its 95% interval (a percentage or an index on 0-100).",
    },
    "fs_legend_band": {
        "nl": "Grijze band en stippellijn: het 95%-interval en het cijfer van alle respondenten.",
        "fr": "Bande grise et trait pointillé : l'intervalle à 95 % et le chiffre de tous les répondants.",
        "en": "Grey band and dashed line: the 95% interval and the figure of all respondents.",
    },
    "fs_method_title": {"nl": "Waar de cijfers vandaan komen", "fr": "D'où viennent les chiffres",
                        "en": "Where the numbers come from"},
    "fs_method": {
        "nl": "De cijfers komen uit de bevraging van {respondents}, gewogen naar bevolkingscijfers waar die er zijn. "
              "Elk cijfer heeft zijn 95%-betrouwbaarheidsinterval tussen haken en n, het aantal respondenten waarop "
              "het rust; een aantal als \"12 van 18\" is een telling, geen percentage.",
        "fr": "Les chiffres viennent de l'enquête auprès des {respondents}, pondérée sur des chiffres de population "
              "lorsqu'ils existent. Chaque chiffre a son intervalle de confiance à 95 % entre crochets et n, le nombre "
              "de répondants sur lequel il repose ; un nombre comme « 12 sur 18 » est un décompte, pas un pourcentage.",
        "en": "The figures come from the survey of {respondents}, weighted to population figures where there are "
              "any. Each figure has its 95% confidence interval in brackets and n, the number of respondents it "
              "rests on; a number such as \"12 of 18\" is a count, not a percentage.",
    },
    "fs_no_test": {
        "nl": "Of een gebied verschilt van alle respondenten wordt hier niet getoetst (de respondenten van het gebied "
              "horen bij alle respondenten): deze pagina noemt geen van beide hoger of lager. Lees beide cijfers met "
              "hun intervallen.",
        "fr": "Qu'une zone diffère de l'ensemble des répondants n'est pas testé ici (les répondants de la zone font "
              "partie de l'ensemble) : cette page ne dit d'aucun chiffre qu'il est plus haut ou plus bas. Lisez les "
              "deux chiffres avec leurs intervalles.",
        "en": "Whether an area differs from all respondents is not tested here (the area's respondents are among all "
              "respondents): this page calls neither figure higher or lower. Read both figures with their "
              "intervals.",
    },
    "fs_method_link": {"nl": "Meer over de methode", "fr": "En savoir plus sur la méthode",
                       "en": "More on the method"},
}


_EXPLORER = {
    "all_withheld_note": {
        "nl": "Geen grafiek: geen enkel cijfer hier kan gepubliceerd worden; de tabel zegt waarom.",
        "fr": "Pas de graphique : aucun chiffre ici ne peut être publié ; le tableau dit pourquoi.",
        "en": "No chart: none of these figures can be published; the table says why.",
    },
    "page_explorer": {"nl": "Indicatorverkenner", "fr": "Explorateur d'indicateurs", "en": "Indicator explorer"},
    "explorer_intro": {
        "nl": "Eén indicator tegelijk: kies ze in de lijst (of zoek op een woord), kies een uitsplitsing en een "
              "golf, en bekijk ze als grafiek, tabel of kaart. De link van de pagina opent dezelfde weergave.",
        "fr": "Un indicateur à la fois : choisissez-le dans la liste (ou cherchez un mot), choisissez une "
              "ventilation et une vague, et affichez-le en graphique, en tableau ou en carte. Le lien de la page "
              "rouvre la même vue.",
        "en": "One indicator at a time: choose it from the list (or search for a word), choose a breakdown and a "
              "wave, and view it as a chart, a table or a map. The page's link reopens the same view.",
    },
    "explorer_noscript": {
        "nl": "De verkenner heeft JavaScript nodig; dezelfde cijfers staan in de tabellen van de andere pagina's "
              "en in de downloads.",
        "fr": "L'explorateur a besoin de JavaScript ; les mêmes chiffres figurent dans les tableaux des autres "
              "pages et dans les téléchargements.",
        "en": "The explorer needs JavaScript; the same figures are in the other pages' tables and in the "
              "downloads.",
    },
    "explorer_search": {"nl": "Zoek een indicator", "fr": "Chercher un indicateur", "en": "Search an indicator"},
    "explorer_matches": {"nl": "{count} indicator(en) gevonden", "fr": "{count} indicateur(s) trouvé(s)",
                         "en": "{count} indicator(s) found"},
    "explorer_breakdown": {"nl": "Uitsplitsing", "fr": "Ventilation", "en": "Breakdown"},
    "explorer_all_waves": {"nl": "Alle golven", "fr": "Toutes les vagues", "en": "All waves"},
    "explorer_views": {"nl": "Weergave", "fr": "Affichage", "en": "View"},
    "explorer_tab_chart": {"nl": "Grafiek", "fr": "Graphique", "en": "Chart"},
    "explorer_tab_table": {"nl": "Tabel", "fr": "Tableau", "en": "Table"},
    "explorer_tab_map": {"nl": "Kaart", "fr": "Carte", "en": "Map"},
    "explorer_view_title": {"nl": "{indicator}: {breakdown}, {wave}", "fr": "{indicator} : {breakdown}, {wave}",
                            "en": "{indicator}: {breakdown}, {wave}"},
    "explorer_definition": {"nl": "Wat de indicator meet", "fr": "Ce que mesure l'indicateur",
                            "en": "What the indicator measures"},
    "explorer_what": {"nl": "Definitie", "fr": "Définition", "en": "Definition"},
    "explorer_who": {"nl": "Populatie: wie antwoordde", "fr": "Population : qui a répondu",
                     "en": "Population: who answered"},
    "explorer_how": {"nl": "Hoe het cijfer gemaakt wordt", "fr": "Comment le chiffre est calculé",
                     "en": "How the figure is made"},
    "explorer_interval": {"nl": "Onzekerheid", "fr": "Incertitude", "en": "Uncertainty"},
    "explorer_hidden": {"nl": "Niet getoonde cellen", "fr": "Cellules non affichées", "en": "Cells not shown"},
    "explorer_kind_share": {
        "nl": "Een aandeel: de respondenten met het getelde antwoord (teller) onder de respondenten voor wie de "
              "vraag geldt en die ze beantwoordden (noemer), gewogen waar de vragenlijst gewogen wordt.",
        "fr": "Une part : les répondants ayant la réponse comptée (numérateur) parmi ceux à qui la question "
              "s'applique et qui y ont répondu (dénominateur), pondérée lorsque le questionnaire est pondéré.",
        "en": "A share: the respondents with the answer counted (numerator) among the respondents the question "
              "applies to who answered it (denominator), weighted where the questionnaire is weighted.",
    },
    "explorer_kind_mean": {
        "nl": "Een gemiddelde score op de antwoordschaal (1-5) van de respondenten die de vraag beantwoordden.",
        "fr": "Un score moyen sur l'échelle de réponse (1-5) des répondants qui ont répondu à la question.",
        "en": "A mean score on the answer scale (1-5) of the respondents who answered the item.",
    },
    "explorer_kind_scale_index": {
        "nl": "Een index van 0 tot 100: het gemiddelde van de scores op de items van de dimensie, herschaald; "
              "alleen gepubliceerd als de items een betrouwbare schaal vormen.",
        "fr": "Un indice de 0 à 100 : la moyenne des scores sur les items de la dimension, remise à l'échelle ; "
              "publié seulement si les items forment une échelle fiable.",
        "en": "An index from 0 to 100: the mean of the scores on the dimension's items, rescaled; published only "
              "where the items form a reliable scale.",
    },
    "explorer_kind_count": {
        "nl": "Een aantal: de respondenten wier antwoord de drempel haalt, onder wie de vraag beantwoordde.",
        "fr": "Un effectif : les répondants dont la réponse atteint le seuil, parmi ceux qui ont répondu.",
        "en": "A count: the respondents whose answer reaches the threshold, among those who answered.",
    },
    "explorer_kind_difference": {
        "nl": "Een verschil in punten op de index 0-100 tussen twee groepen respondenten, elk met een eigen cijfer.",
        "fr": "Un écart en points sur l'indice 0-100 entre deux groupes de répondants, chacun avec son chiffre.",
        "en": "A difference in points on the 0-100 index between two groups of respondents, each with its own "
              "figure.",
    },
    "explorer_map_schematic": {
        "nl": "Schematische kaart: de vormen zijn benaderend, niet de echte grenzen.",
        "fr": "Carte schématique : les formes sont approximatives, pas les vraies limites.",
        "en": "Schematic map: the shapes are approximate, not the real boundaries.",
    },
    "explorer_map_note": {
        "nl": "Elk gebied toont zijn waarde als cijfer; de kleur herhaalt ze (donkerder is hoger). Gearceerd en "
              "grijs: niet getoond.",
        "fr": "Chaque zone affiche sa valeur en chiffres ; la couleur la répète (plus foncé = plus élevé). Hachuré "
              "et gris : non affiché.",
        "en": "Each area prints its value; the shade repeats it (darker is higher). Hatched and grey: not shown.",
    },
    "explorer_map_hidden": {"nl": "{area}: {reason}.", "fr": "{area} : {reason}.", "en": "{area}: {reason}."},
    "explorer_map_one_wave": {
        "nl": "De kaart toont één golf: kies een golf.",
        "fr": "La carte montre une seule vague : choisissez une vague.",
        "en": "The map shows one wave: choose a wave.",
    },
    "explorer_download": {"nl": "De rijen van {indicator} (CSV)", "fr": "Les lignes de {indicator} (CSV)",
                          "en": "The rows of {indicator} (CSV)"},
    "explorer_download_plain": {"nl": "De rijen van deze indicator (CSV)", "fr": "Les lignes de cet indicateur (CSV)",
                                "en": "This indicator's rows (CSV)"},
    "explorer_csv_name": {"nl": "indicator", "fr": "indicateur", "en": "indicator"},
    # The asterisk's meaning in a few words, beside each value it marks (its note under the table says it in full):
    # said in full beside each of the demo's thousands of marked values it was a fortieth of the site.
    "low_n_eff_short": {"nl": "kleine effectieve steekproef", "fr": "petit échantillon effectif",
                        "en": "small effective sample"},
    "explorer_permalink": {"nl": "Link naar deze weergave", "fr": "Lien vers cette vue", "en": "Link to this view"},
}

# The explorer's definition: who is counted and among whom (the catalogue's numerator and denominator), beside
# the population the figure is about (issue 22, part 2).
_MAP_PAGE = {
    "map_more_heading": {"nl": "Elke kernindicator per {breakdown}", "fr": "Chaque indicateur clé par {breakdown}",
                         "en": "Each key indicator by {breakdown}"},
    "map_more_intro": {
        "nl": "Kies er een om hem per {breakdown} te zien op de kaart, als grafiek en als tabel, in de verkenner. "
              "De pagina van zijn dimensie toont hem ook per {breakdown}.",
        "fr": "Choisissez-en un pour le voir par {breakdown} sur la carte, en graphique et en tableau, dans "
              "l'explorateur. La page de sa dimension le montre aussi par {breakdown}.",
        "en": "Choose one to see it by {breakdown} on the map, as a chart and as a table, in the explorer. Its "
              "dimension's page shows it by {breakdown} too.",
    },
    "map_more_page": {"nl": "op de pagina {page}", "fr": "sur la page {page}", "en": "on the page {page}"},
}
_DEFINITIONS = {
    "explorer_numerator": {"nl": "Wie of wat geteld wordt (teller)", "fr": "Ce qui est compté (numérateur)",
                           "en": "Counted (numerator)"},
    "explorer_denominator": {"nl": "Onder wie (noemer)", "fr": "Parmi qui (dénominateur)",
                             "en": "Among (denominator)"},
    "explorer_single_item_numerator": {
        "nl": "De scores (1 tot 5) op dat ene item", "fr": "Les scores (1 à 5) à cet unique item",
        "en": "The scores (1 to 5) on that one item"},
}

TEXT: dict[str, dict[str, str]] = {**_FRAME, **_CHARTS, **_BREAKDOWNS_UNITS, **_DIMENSIONS, **_PAGES, **_METHOD,
                                   **_DOWNLOADS, **_PANEL, **_MONITOR, **_NOTHING_EMPTY, **_AREA_MAP, **_FINDINGS,
                                   **_FACTSHEETS, **_EXPLORER, **_DEFINITIONS, **_MAP_PAGE}


def t(key: str, lang: str, **values: object) -> str:
    text = TEXT[key][lang]
    return text.format(**values) if values else text
