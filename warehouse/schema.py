"""Table definitions of the raw layer and the warehouse. Created idempotently on every connection."""

from __future__ import annotations

import duckdb

RAW_DDL = """
-- One row per load: what was read, from where, and how many responses were new.
CREATE TABLE IF NOT EXISTS raw.loads (
    load_seq            BIGINT PRIMARY KEY,   -- order of loads; the latest version of a response wins
    load_id             VARCHAR NOT NULL UNIQUE,
    source              VARCHAR NOT NULL CHECK (source IN ('file', 'limesurvey')),
    study_id            VARCHAR NOT NULL,
    survey_id           BIGINT NOT NULL,
    wave                VARCHAR NOT NULL,
    instrument          VARCHAR NOT NULL,
    instrument_version  VARCHAR NOT NULL,
    origin              VARCHAR NOT NULL,     -- file name or endpoint, never credentials
    origin_sha256       VARCHAR,
    fetched_at          TIMESTAMP NOT NULL,
    loaded_at           TIMESTAMP NOT NULL,
    responses_received  INTEGER NOT NULL,
    responses_inserted  INTEGER NOT NULL
);
-- Append-only: one row per version of a response; its exported values (all text) are in the survey's
-- table raw."answers_<study>_<survey>", joined on (response_id, load_seq).
CREATE TABLE IF NOT EXISTS raw.responses (
    study_id            VARCHAR NOT NULL,
    survey_id           BIGINT NOT NULL,
    response_id         BIGINT NOT NULL,
    load_seq            BIGINT NOT NULL,
    load_id             VARCHAR NOT NULL,
    source              VARCHAR NOT NULL,
    wave                VARCHAR NOT NULL,
    instrument          VARCHAR NOT NULL,
    instrument_version  VARCHAR NOT NULL,
    content_sha256      VARCHAR NOT NULL,     -- of the exported values, in raw."answers_<study>_<survey>"
    completed           BOOLEAN NOT NULL,     -- has a submit date
    respondent_id       VARCHAR NOT NULL,     -- keyed pseudonym of the token (warehouse/pseudonyms.py)
    fetched_at          TIMESTAMP NOT NULL,
    loaded_at           TIMESTAMP NOT NULL,
    PRIMARY KEY (study_id, survey_id, response_id, load_seq)
);
-- Reviews of free-text answers (warehouse/free_text.py): a person reads each answer, removes names, places,
-- organisations and rare details, and marks it quotable or not. A review holds for the text it read (hash):
-- an edited answer needs a new review. Append-only; the latest review of a text wins.
CREATE TABLE IF NOT EXISTS raw.free_text_reviews (
    study_id VARCHAR NOT NULL, survey_id BIGINT NOT NULL, response_id BIGINT NOT NULL, column_name VARCHAR NOT NULL,
    text_sha256 VARCHAR NOT NULL, status VARCHAR NOT NULL CHECK (status IN ('quotable', 'not_quotable')),
    redacted_text VARCHAR, reviewer VARCHAR NOT NULL, reviewed_at TIMESTAMP NOT NULL
);
-- The only removals from the raw layer: explicit purges (warehouse/purge.py), each logged here. Subjects
-- are pseudonyms, never tokens.
CREATE TABLE IF NOT EXISTS raw.purges (
    purge_id            VARCHAR PRIMARY KEY,
    purged_at           TIMESTAMP NOT NULL,
    study_id            VARCHAR NOT NULL,
    wave                VARCHAR,
    kind                VARCHAR NOT NULL CHECK (kind IN ('respondents', 'tokens', 'non_consenting')),
    reason              VARCHAR NOT NULL,
    operator            VARCHAR NOT NULL,
    responses           INTEGER NOT NULL,
    versions            INTEGER NOT NULL,
    warehouse_rows      INTEGER NOT NULL,
    subjects            VARCHAR[] NOT NULL
);
-- Append-only: the survey's structure as the server reported it at each API load (groups, questions,
-- answer options), compared with the codebook by the drift check.
CREATE TABLE IF NOT EXISTS raw.survey_structures (
    study_id            VARCHAR NOT NULL,
    survey_id           BIGINT NOT NULL,
    load_seq            BIGINT NOT NULL,
    load_id             VARCHAR NOT NULL,
    wave                VARCHAR NOT NULL,
    instrument          VARCHAR NOT NULL,
    fetched_at          TIMESTAMP NOT NULL,
    structure           JSON NOT NULL,
    PRIMARY KEY (study_id, survey_id, load_seq)
);
"""

WAREHOUSE_DDL = """
CREATE SCHEMA IF NOT EXISTS clean;
CREATE SCHEMA IF NOT EXISTS indicators;
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS weighted;
-- Data-quality flags per response (analyses/quality.py, rules in instruments/definitions/quality.yaml).
CREATE TABLE IF NOT EXISTS clean.quality_flags (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, instrument VARCHAR NOT NULL,
    survey_id BIGINT NOT NULL, response_id BIGINT NOT NULL, respondent_id VARCHAR NOT NULL,
    incomplete BOOLEAN NOT NULL, speeding BOOLEAN NOT NULL, straightlining BOOLEAN NOT NULL,
    duplicate BOOLEAN NOT NULL, out_of_range BOOLEAN NOT NULL,
    flags VARCHAR NOT NULL, excluded_from_weighting BOOLEAN NOT NULL,
    PRIMARY KEY (study_id, wave, instrument, survey_id, response_id)
);
-- How many responses each flag caught, per survey and wave.
CREATE TABLE IF NOT EXISTS meta.quality_report (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, instrument VARCHAR NOT NULL, survey_id BIGINT NOT NULL,
    flag VARCHAR NOT NULL, responses INTEGER NOT NULL, flagged INTEGER NOT NULL,
    PRIMARY KEY (study_id, wave, instrument, survey_id, flag)
);
-- weighted.<instrument>_weights, one per weighted instrument, is created with its first rows
-- (warehouse/weighted.py: WEIGHTS_DDL); weighted.<instrument>_replicate_weights and weighted.replicate_designs
-- with a study's first replicate weights (REPLICATES_DDL, DESIGNS_DDL).
-- One row per weighted wave: what the weighting stage measured (pipelines/stages/weight.py). The asset checks
-- and the method page read it.
CREATE TABLE IF NOT EXISTS weighted.weighting_diagnostics (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL,
    n INTEGER NOT NULL,                    -- respondents in the weighting base
    excluded INTEGER NOT NULL,             -- clean respondents left out: incomplete, a margin unanswered, a quality rule
    weight_sum DOUBLE NOT NULL,
    n_eff DOUBLE NOT NULL,                 -- Kish: (sum w)^2 / sum w^2, of the final weights
    deff DOUBLE NOT NULL,                  -- n / n_eff
    cv DOUBLE NOT NULL,                    -- standard deviation (divisor n) over the mean
    min_weight DOUBLE NOT NULL, max_weight DOUBLE NOT NULL,
    trimmed INTEGER NOT NULL,              -- weights the trimming changed (moved to a bound, or raised to keep the total)
    sweeps INTEGER NOT NULL,               -- raking iterations over all margins
    max_margin_error DOUBLE NOT NULL,      -- largest |weighted - population| / population, raked weights
    max_final_margin_error DOUBLE NOT NULL,  -- the same, final (trimmed) weights
    margin_errors JSON NOT NULL,           -- {variable: [raked, final]}
    margins_sources JSON NOT NULL,         -- {variable: "source (year)"}
    design JSON,                           -- what the weights were made under: {design: study.yaml's, trim}
    PRIMARY KEY (study_id, wave)
);
-- Failed runs, recorded by the run-failure sensor where an operator sees them.
CREATE TABLE IF NOT EXISTS meta.run_failures (
    run_id      VARCHAR PRIMARY KEY,
    job_name    VARCHAR NOT NULL,
    tags        JSON,
    failed_at   TIMESTAMP NOT NULL,
    message     VARCHAR NOT NULL
);
-- One row per `toegang invite` or `toegang remind` (pipelines/mailing.py), dry runs too: how many, never who.
CREATE TABLE IF NOT EXISTS meta.mailings (
    mailing_id   VARCHAR PRIMARY KEY,
    study_id     VARCHAR NOT NULL,
    survey_id    BIGINT NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('invite', 'remind')),
    dry_run      BOOLEAN NOT NULL,
    mailed_at    TIMESTAMP NOT NULL,       -- when the command started, UTC without zone (as loaded_at)
    min_days     INTEGER,                  -- remind's filters, as given
    max_reminders INTEGER,
    chosen       INTEGER,                  -- participants named with --tid; NULL: all
    candidates   INTEGER NOT NULL,         -- who LimeSurvey's rules made due
    sent         INTEGER NOT NULL,
    failed       INTEGER NOT NULL,         -- failed sends stay pending
    left_to_send INTEGER NOT NULL,         -- candidates not tried: a call sent none, or the run stopped
    calls        INTEGER NOT NULL,         -- invite_participants or remind_participants calls
    reasons      JSON NOT NULL             -- {LimeSurvey's reason, e-mail addresses removed: failed sends}
);
-- One row per exported column of each instrument as fielded in a wave (instruments/codebook.py).
CREATE TABLE IF NOT EXISTS meta.codebook (
    study_id            VARCHAR NOT NULL,
    wave                VARCHAR NOT NULL,
    instrument          VARCHAR NOT NULL,
    instrument_version  VARCHAR NOT NULL,
    position            INTEGER NOT NULL,
    column_name         VARCHAR NOT NULL,   -- as LimeSurvey exports it: question[subquestion]
    variable            VARCHAR NOT NULL,   -- as clean tables and ExpressionScript name it: question_subquestion
    question            VARCHAR NOT NULL,
    subquestion         VARCHAR,
    type                VARCHAR NOT NULL,
    group_position      INTEGER NOT NULL,
    question_nl VARCHAR, question_fr VARCHAR, question_en VARCHAR,
    item_nl VARCHAR, item_fr VARCHAR, item_en VARCHAR,
    answers             JSON,               -- [{code, nl, fr, en, missing}]
    dim_b VARCHAR, dim_levesque VARCHAR, polarity VARCHAR,
    mirror              VARCHAR,            -- column of the mirror item in the mirror instrument
    service VARCHAR, theme VARCHAR,
    relevance           VARCHAR,            -- ExpressionScript: when the column is shown
    free_text           BOOLEAN NOT NULL,
    mandatory           BOOLEAN NOT NULL,
    PRIMARY KEY (study_id, wave, instrument, column_name)
);
-- Every indicator of the catalogue (analyses/catalogue.yaml) per wave, overall (breakdown 'all') and per
-- breakdown; suppressed rows keep their place with the statistics NULL and the reason. Each row carries
-- what reproduces it: the run, the instrument, margins and code versions.
CREATE TABLE IF NOT EXISTS indicators.indicators (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,          -- measure[.subject][.dimension]
    measure VARCHAR NOT NULL, service VARCHAR, theme VARCHAR, dimension VARCHAR,
    instrument VARCHAR NOT NULL,         -- the instrument, or both (a difference between two)
    breakdown VARCHAR NOT NULL,          -- all, neighbourhood, language, home_language, education, child_age, channel
    domain VARCHAR NOT NULL,             -- the breakdown's answer code, or all
    estimate DOUBLE, se DOUBLE, ci_low DOUBLE, ci_high DOUBLE,
    n INTEGER,                           -- unweighted respondents in the denominator
    n_eff DOUBLE, deff DOUBLE,
    unit VARCHAR NOT NULL,               -- proportion (0-1), index (0-100), mean (1-5), count, difference
    ci_method VARCHAR NOT NULL,          -- beta (Korn-Graubard), logit, wald, none
    df INTEGER,                          -- the interval's degrees of freedom: the domain's PSUs minus strata
    n_eff_kg DOUBLE,                     -- a proportion's Korn-Graubard effective size (capped at n)
    weighted BOOLEAN NOT NULL, low_n_eff BOOLEAN,
    nchs_flag VARCHAR,                   -- a weighted proportion's NCHS rules met (';'), or present
    suppressed BOOLEAN NOT NULL, reason VARCHAR,
    numerator INTEGER,                   -- an unweighted proportion: the respondents counted, of n
    as_count BOOLEAN,                    -- published as "numerator of n" alone (below min_percentage_n)
    run_id VARCHAR NOT NULL, instrument_version VARCHAR NOT NULL, margins_version VARCHAR, code_version VARCHAR NOT NULL,
    PRIMARY KEY (study_id, wave, indicator, breakdown, domain)
);
-- What changed (warehouse/changes.py): per wave, the run that made its current indicator rows and the one before it
-- that changed something, with what each was made from; a rerun that changes nothing only restamps the latest.
CREATE TABLE IF NOT EXISTS meta.indicator_runs (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    computed_at TIMESTAMP,               -- NULL: rows published before Toegang kept runs (their provenance only)
    instrument_versions JSON,            -- {instrument: [versions of the rows its indicators read]}
    margins_version VARCHAR,             -- the margins file's hash, as the indicator rows carry it; NULL unweighted
    code_version VARCHAR,
    responses INTEGER,                   -- the wave's responses in the raw layer, every instrument
    load_seq BIGINT, load_id VARCHAR,    -- the latest load among their versions
    fetched_at TIMESTAMP,                -- the latest fetch among them
    PRIMARY KEY (study_id, wave, run_id)
);
-- The indicator rows those runs published, as indicators.indicators publishes them: a suppressed cell's status and
-- reason, never its values.
CREATE TABLE IF NOT EXISTS meta.indicator_history (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL, measure VARCHAR NOT NULL, service VARCHAR, theme VARCHAR, dimension VARCHAR,
    instrument VARCHAR NOT NULL, breakdown VARCHAR NOT NULL, domain VARCHAR NOT NULL,
    estimate DOUBLE, se DOUBLE, ci_low DOUBLE, ci_high DOUBLE, n INTEGER, n_eff DOUBLE, deff DOUBLE,
    unit VARCHAR NOT NULL, ci_method VARCHAR NOT NULL, df INTEGER, n_eff_kg DOUBLE,
    weighted BOOLEAN NOT NULL, low_n_eff BOOLEAN, nchs_flag VARCHAR, suppressed BOOLEAN NOT NULL, reason VARCHAR,
    numerator INTEGER, as_count BOOLEAN, run_id VARCHAR NOT NULL,
    instrument_version VARCHAR NOT NULL, margins_version VARCHAR, code_version VARCHAR NOT NULL,
    PRIMARY KEY (study_id, wave, run_id, indicator, breakdown, domain)
);
-- Cronbach's alpha per service and accessibility dimension (the access-index gate), overall and per survey
-- language as a diagnostic; unweighted complete cases of the index's universe.
CREATE TABLE IF NOT EXISTS indicators.reliability (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, service VARCHAR NOT NULL, dimension VARCHAR NOT NULL,
    language VARCHAR NOT NULL, items INTEGER NOT NULL, n INTEGER NOT NULL,
    alpha DOUBLE, ci_low DOUBLE, ci_high DOUBLE,
    PRIMARY KEY (study_id, wave, service, dimension, language)
);
-- Tests between groups per wave (analyses/comparisons.py): pingouin's unweighted tests and the design-based
-- Rao-Scott F; `note` says which ignore the weights. Groups under 10 respondents are left out.
CREATE TABLE IF NOT EXISTS indicators.comparisons (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, indicator VARCHAR NOT NULL, breakdown VARCHAR NOT NULL,
    test VARCHAR NOT NULL, groups VARCHAR NOT NULL, statistic DOUBLE, df1 DOUBLE, df2 DOUBLE, p_value DOUBLE,
    p_adjusted DOUBLE, effect_size DOUBLE, effect_measure VARCHAR, n INTEGER, weighted BOOLEAN NOT NULL,
    note VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    PRIMARY KEY (study_id, wave, indicator, breakdown, test, groups)
);
-- Headline indicators without the respondents of each category of the sensitivity breakdown, beside the estimate from everyone.
CREATE TABLE IF NOT EXISTS indicators.channel_sensitivity (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, indicator VARCHAR NOT NULL, channel VARCHAR NOT NULL,
    n_channel INTEGER, estimate_all DOUBLE, estimate_without DOUBLE, difference DOUBLE,
    ci_low_without DOUBLE, ci_high_without DOUBLE, suppressed BOOLEAN NOT NULL, run_id VARCHAR NOT NULL,
    PRIMARY KEY (study_id, wave, indicator, channel)
);
-- Two published categories of a compared breakdown per wave and headline indicator (analyses/findings.py): the
-- difference a - b, its SE from the design's covariance of the two domain means and a t test on the design's df
-- (weighted); Fisher's exact or Welch's t test (unweighted). The overview's key findings choose from them.
CREATE TABLE IF NOT EXISTS indicators.pair_differences (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, indicator VARCHAR NOT NULL, breakdown VARCHAR NOT NULL,
    domain_a VARCHAR NOT NULL, domain_b VARCHAR NOT NULL, estimate_a DOUBLE, estimate_b DOUBLE, difference DOUBLE,
    se DOUBLE, df DOUBLE, statistic DOUBLE, p_value DOUBLE, test VARCHAR NOT NULL, weighted BOOLEAN NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (study_id, wave, indicator, breakdown, domain_a, domain_b)
);
-- Never published (no export or page reads it): each estimated cell's own estimate, hidden ones too, and the
-- weights of its respondents: what the disclosure audit needs to tell whether a hidden cell can be worked
-- out from published ones (analyses/disclosure.py).
CREATE TABLE IF NOT EXISTS indicators.disclosure_basis (
    study_id VARCHAR NOT NULL, wave VARCHAR NOT NULL, indicator VARCHAR NOT NULL, breakdown VARCHAR NOT NULL,
    domain VARCHAR NOT NULL, estimate DOUBLE, weight_sum DOUBLE, run_id VARCHAR NOT NULL,
    PRIMARY KEY (study_id, wave, indicator, breakdown, domain)
);
-- Each published estimate (overall and per category) minus the same one in the previous wave.
CREATE TABLE IF NOT EXISTS indicators.wave_differences (
    study_id VARCHAR NOT NULL, indicator VARCHAR NOT NULL, breakdown VARCHAR NOT NULL, domain VARCHAR NOT NULL,
    unit VARCHAR NOT NULL, wave_before VARCHAR NOT NULL, wave_after VARCHAR NOT NULL,
    estimate_before DOUBLE, estimate_after DOUBLE, difference DOUBLE, se DOUBLE, ci_low DOUBLE, ci_high DOUBLE,
    p_value DOUBLE,
    PRIMARY KEY (study_id, indicator, breakdown, domain, wave_before, wave_after)
);
-- A panel's change of each indicator between two waves, on the persons present in both only (analyses/panel.py):
-- the pairs and those seen in one wave only always; the rest only from min_pairs pairs, else NULL with the reason.
CREATE TABLE IF NOT EXISTS indicators.panel_changes (
    study_id VARCHAR NOT NULL, instrument VARCHAR NOT NULL, indicator VARCHAR NOT NULL,
    wave_before VARCHAR NOT NULL, wave_after VARCHAR NOT NULL, kind VARCHAR NOT NULL,  -- ordinal or binary
    n_pairs INTEGER NOT NULL, n_before_only INTEGER NOT NULL, n_after_only INTEGER NOT NULL,
    n_higher INTEGER, n_unchanged INTEGER, n_lower INTEGER,
    share_higher DOUBLE, share_unchanged DOUBLE, share_lower DOUBLE,
    value_before DOUBLE, value_after DOUBLE,   -- the pairs' mean (ordinal) or share (binary)
    median_before DOUBLE, median_after DOUBLE,
    test VARCHAR NOT NULL, statistic DOUBLE, p_value DOUBLE, method VARCHAR, effect_size DOUBLE, effect_measure VARCHAR,
    reason VARCHAR, run_id VARCHAR NOT NULL,
    PRIMARY KEY (study_id, indicator, wave_before, wave_after)
);
-- Who answered a panel instrument in each wave (a complete response): present, and how they came (stayed, joined,
-- returned) and went (dropped: present in the wave before, not in this one).
CREATE TABLE IF NOT EXISTS indicators.panel_trajectory (
    study_id VARCHAR NOT NULL, instrument VARCHAR NOT NULL, wave VARCHAR NOT NULL,
    n INTEGER NOT NULL, stayed INTEGER NOT NULL, joined INTEGER NOT NULL, returned INTEGER NOT NULL,
    dropped INTEGER NOT NULL, run_id VARCHAR NOT NULL,
    PRIMARY KEY (study_id, instrument, wave)
);
-- Answer labels in nl/fr/en for every coded column, from the codebook: join on (study_id, wave,
-- instrument, variable, code) to read any clean column in words.
CREATE OR REPLACE VIEW clean.answer_labels AS
SELECT study_id, wave, instrument, variable, a.code, a.nl AS label_nl, a.fr AS label_fr, a.en AS label_en,
       a.missing
FROM meta.codebook,
     unnest(CAST(answers AS STRUCT(code VARCHAR, nl VARCHAR, fr VARCHAR, en VARCHAR, missing VARCHAR)[])) AS t(a);
"""


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Record and upgrade each file's schema version (warehouse/migrations.py), then run the DDL."""
    from warehouse.migrations import upgrade

    upgrade(con, _create)


def _create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_DDL)
    con.execute(WAREHOUSE_DDL)
