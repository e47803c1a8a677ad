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
-- Append-only: one row per version of a response, exactly as exported (all values as text).
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
    content_sha256      VARCHAR NOT NULL,
    payload             JSON NOT NULL,
    fetched_at          TIMESTAMP NOT NULL,
    loaded_at           TIMESTAMP NOT NULL,
    PRIMARY KEY (study_id, survey_id, response_id, load_seq)
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
-- Raking weights of the parents of a wave (persons); responses outside the weighting base have none.
CREATE TABLE IF NOT EXISTS weighted.parent_weights (
    study_id        VARCHAR NOT NULL,
    wave            VARCHAR NOT NULL,
    survey_id       BIGINT NOT NULL,
    response_id     BIGINT NOT NULL,
    respondent_id   VARCHAR NOT NULL,
    weight          DOUBLE NOT NULL,       -- final weight (after trimming when the study trims)
    raked_weight    DOUBLE NOT NULL,       -- before trimming: meets the margins exactly
    PRIMARY KEY (study_id, wave, survey_id, response_id)
);
-- Failed runs, recorded by the run-failure sensor where an operator sees them.
CREATE TABLE IF NOT EXISTS meta.run_failures (
    run_id      VARCHAR PRIMARY KEY,
    job_name    VARCHAR NOT NULL,
    tags        JSON,
    failed_at   TIMESTAMP NOT NULL,
    message     VARCHAR NOT NULL
);
-- One row per exported column of each instrument as fielded in a wave (instruments/codebook.py).
CREATE TABLE IF NOT EXISTS meta.codebook (
    study_id            VARCHAR NOT NULL,
    wave                VARCHAR NOT NULL,
    instrument          VARCHAR NOT NULL,
    instrument_version  VARCHAR NOT NULL,
    position            INTEGER NOT NULL,
    column_name         VARCHAR NOT NULL,   -- as LimeSurvey exports it: kent[S01]
    variable            VARCHAR NOT NULL,   -- as clean tables and ExpressionScript name it: kent_S01
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
-- awareness_rate(X) per neighbourhood, weighted where the wave has margins; suppressed cells keep their
-- row with every statistic NULL.
CREATE TABLE IF NOT EXISTS indicators.awareness_by_neighbourhood (
    study_id            VARCHAR NOT NULL,
    wave                VARCHAR NOT NULL,
    service             VARCHAR NOT NULL,
    neighbourhood       VARCHAR NOT NULL,   -- answer code of the neighbourhood, or ALL
    is_total            BOOLEAN NOT NULL,
    n                   INTEGER,            -- parents who answered the awareness item (unweighted)
    numerator           DOUBLE,             -- sum of the weights of those aware (persons)
    estimate            DOUBLE,             -- weighted share, on 0-1
    se                  DOUBLE,             -- Taylor linearisation, calibration-aware
    ci_low              DOUBLE,             -- 95% logit interval
    ci_high             DOUBLE,
    n_eff               DOUBLE,
    deff                DOUBLE,
    weighted            BOOLEAN NOT NULL,
    suppression         VARCHAR CHECK (suppression IN ('primary', 'secondary')),
    instrument_version  VARCHAR NOT NULL,
    PRIMARY KEY (study_id, wave, service, neighbourhood)
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
