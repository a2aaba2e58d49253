#include "vigil/store/schema.h"

namespace vigil::store {

// Keep docs/store.md in step with this text and the migrations.
const std::string_view kSchemaVersion1Sql = R"sql(
CREATE TABLE vigil_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE subjects (
  subject_key INTEGER PRIMARY KEY,
  subject_id  VARCHAR NOT NULL,
  source      VARCHAR NOT NULL,
  sex         VARCHAR,
  birth_date  DATE,
  race        VARCHAR,
  ethnicity   VARCHAR
);

CREATE TABLE stays (
  stay_key       INTEGER PRIMARY KEY,
  stay_id        VARCHAR NOT NULL,
  subject_key    INTEGER NOT NULL,
  subject_id     VARCHAR NOT NULL,
  kind           VARCHAR NOT NULL,
  start_time     TIMESTAMP,
  end_time       TIMESTAMP,
  hospital_admit TIMESTAMP,
  age_years      DOUBLE,
  height_cm      DOUBLE,
  weight_kg      DOUBLE,
  unit           VARCHAR,
  disposition    VARCHAR,
  type           VARCHAR,
  location       VARCHAR,
  source         VARCHAR NOT NULL
);

CREATE TABLE reference_scores (
  stay_id VARCHAR NOT NULL,
  name    VARCHAR NOT NULL,
  value   DOUBLE NOT NULL,
  PRIMARY KEY (stay_id, name)
);

CREATE TABLE codes (
  code_key INTEGER PRIMARY KEY,
  code     VARCHAR NOT NULL,
  unit     VARCHAR
);

CREATE TABLE sources (
  source_key INTEGER PRIMARY KEY,
  source     VARCHAR NOT NULL
);

-- One row per measurement or occurrence, keyed by integers for speed; read it through `events`.
CREATE TABLE event_data (
  subject_key   INTEGER NOT NULL,
  time          TIMESTAMP NOT NULL,
  code_key      INTEGER NOT NULL,
  numeric_value DOUBLE,
  text_value    VARCHAR,
  stay_key      INTEGER,
  source_key    INTEGER
);

-- The MEDS-style event table users query.
CREATE VIEW events AS
SELECT s.subject_id, e.time, c.code, e.numeric_value, e.text_value, c.unit, y.stay_id, src.source
FROM event_data e
JOIN subjects s ON s.subject_key = e.subject_key
JOIN codes c ON c.code_key = e.code_key
LEFT JOIN stays y ON y.stay_key = e.stay_key
LEFT JOIN sources src ON src.source_key = e.source_key;

CREATE TABLE ingest_runs (
  run_id          BIGINT PRIMARY KEY,
  format          VARCHAR NOT NULL,
  arguments       VARCHAR,
  vigil_version   VARCHAR,
  started         TIMESTAMP NOT NULL,
  finished        TIMESTAMP,
  status          VARCHAR NOT NULL,
  files_in        BIGINT NOT NULL DEFAULT 0,
  files_ingested  BIGINT NOT NULL DEFAULT 0,
  files_unchanged BIGINT NOT NULL DEFAULT 0,
  records_in      BIGINT NOT NULL DEFAULT 0,
  stored          BIGINT NOT NULL DEFAULT 0,
  rejected        BIGINT NOT NULL DEFAULT 0,
  skipped         BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE ingest_files (
  file_sha256 VARCHAR PRIMARY KEY,
  path        VARCHAR NOT NULL,
  run_id      BIGINT NOT NULL,
  records_in  BIGINT NOT NULL,
  stored      BIGINT NOT NULL,
  rejected    BIGINT NOT NULL,
  skipped     BIGINT NOT NULL
);

CREATE TABLE ingest_skips (
  run_id BIGINT NOT NULL,
  reason VARCHAR NOT NULL,
  count  BIGINT NOT NULL
);

CREATE TABLE rejects (
  run_id   BIGINT NOT NULL,
  file     VARCHAR NOT NULL,
  location VARCHAR NOT NULL,
  reason   VARCHAR NOT NULL,
  raw      BLOB
);
)sql";

// Version 2: the version of each source record whose rows are stored (FHIR resources: "Type/id"
// with meta.versionId, meta.lastUpdated, and a hash of the resource when it carries neither), so a
// re-ingested record stores nothing new and a newer version replaces the older one's events.
// No primary key: an index on the text column costs ~15% of FHIR ingest time; WriteBatch keeps one
// row per source by deleting the rows of replace_sources before appending.
constexpr std::string_view kMigrationTo2 = R"sql(
CREATE TABLE record_versions (
  source       VARCHAR NOT NULL,
  version_id   VARCHAR,
  last_updated TIMESTAMP,
  content_hash VARCHAR
);
)sql";

// Version 3: events that carry text move to event_text, and event_data loses its text column.
// Text is rare (FHIR codeable and string values; none in PhysioNet), but a text column of NULLs
// cost every stored number its share of DuckDB's string storage, statistics and compression
// analysis: about 15% of a PhysioNet ingest's time (docs/decisions.md, D12). DuckDB does not
// alter a table and change its rows in one transaction, so event_data is rebuilt. event_rows is
// every event keyed by integers, for the store's own readers.
constexpr std::string_view kMigrationTo3 = R"sql(
CREATE TABLE event_text (
  subject_key   INTEGER NOT NULL,
  time          TIMESTAMP NOT NULL,
  code_key      INTEGER NOT NULL,
  numeric_value DOUBLE,
  text_value    VARCHAR NOT NULL,
  stay_key      INTEGER,
  source_key    INTEGER
);
INSERT INTO event_text
SELECT subject_key, time, code_key, numeric_value, text_value, stay_key, source_key
FROM event_data
WHERE text_value IS NOT NULL;

CREATE TABLE event_data_3 (
  subject_key   INTEGER NOT NULL,
  time          TIMESTAMP NOT NULL,
  code_key      INTEGER NOT NULL,
  numeric_value DOUBLE,
  stay_key      INTEGER,
  source_key    INTEGER
);
INSERT INTO event_data_3
SELECT subject_key, time, code_key, numeric_value, stay_key, source_key FROM event_data
WHERE text_value IS NULL;

DROP VIEW events;
DROP TABLE event_data;
ALTER TABLE event_data_3 RENAME TO event_data;

CREATE VIEW event_rows AS
SELECT subject_key, time, code_key, numeric_value, NULL::VARCHAR AS text_value, stay_key,
       source_key
FROM event_data
UNION ALL
SELECT subject_key, time, code_key, numeric_value, text_value, stay_key, source_key
FROM event_text;

CREATE VIEW events AS
SELECT s.subject_id, e.time, c.code, e.numeric_value, e.text_value, c.unit, y.stay_id, src.source
FROM event_rows e
JOIN subjects s ON s.subject_key = e.subject_key
JOIN codes c ON c.code_key = e.code_key
LEFT JOIN stays y ON y.stay_key = e.stay_key
LEFT JOIN sources src ON src.source_key = e.source_key;
)sql";

// Version 4: record versions move into `sources`, one row per stored source record with its
// version, and record_versions is dropped. Each FHIR resource's "Type/id" was stored twice, and
// writing, compressing and checkpointing the second copy took about 7% of a bulk export's ingest
// time (docs/decisions.md, D17). A record without events (a Patient, an Encounter) gets a sources
// row of its own. `sources` is rebuilt, DuckDB not altering a table and changing its rows in one
// transaction; keys do not change, and the events view, which names sources, needs no change.
constexpr std::string_view kMigrationTo4 = R"sql(
CREATE TABLE sources_4 (
  source_key   INTEGER PRIMARY KEY,
  source       VARCHAR NOT NULL,
  version_id   VARCHAR,
  last_updated TIMESTAMP,
  content_hash VARCHAR
);
INSERT INTO sources_4
SELECT s.source_key, s.source, v.version_id, v.last_updated, v.content_hash
FROM sources s
LEFT JOIN record_versions v ON v.source = s.source;
INSERT INTO sources_4
SELECT (SELECT coalesce(max(source_key), 0) FROM sources) + row_number() OVER (ORDER BY v.source),
       v.source, v.version_id, v.last_updated, v.content_hash
FROM record_versions v
WHERE v.source NOT IN (SELECT source FROM sources);

DROP TABLE record_versions;
DROP TABLE sources;
ALTER TABLE sources_4 RENAME TO sources;
)sql";

// Version 5: a code's name as the data gave it (a FHIR coding's `display`), for people reading the
// store, `vigil timeline` and `vigil stats`, and the model report's feature names. NULL where the
// source names none (PhysioNet) and for stores written before it.
constexpr std::string_view kMigrationTo5 = R"sql(
ALTER TABLE codes ADD COLUMN display VARCHAR;
)sql";

// Version 6: the events view shows each code's name beside it (`display`, last so that queries
// written for the earlier columns keep their positions). And a file is known by its content and
// how it was read (`reading`: the format, and what else decides what the content means: a FHIR
// file's kind, a PhysioNet 2019 file's name, which is its patient), so that the same bytes read
// another way (a copy of a 2019 file under another patient's name, an empty .json after an empty
// .ndjson) are not taken as already ingested. No primary key: a file refused whole (nothing stored,
// something rejected) is not counted as ingested and is read again by a later run, which records
// it again. Files recorded before get the reading their run's format gave them.
constexpr std::string_view kMigrationTo6 = R"sql(
CREATE TABLE ingest_files_6 (
  file_sha256 VARCHAR NOT NULL,
  reading     VARCHAR NOT NULL,
  path        VARCHAR NOT NULL,
  run_id      BIGINT NOT NULL,
  records_in  BIGINT NOT NULL,
  stored      BIGINT NOT NULL,
  rejected    BIGINT NOT NULL,
  skipped     BIGINT NOT NULL
);
INSERT INTO ingest_files_6
SELECT f.file_sha256,
       CASE coalesce(r.format, '')
         WHEN 'physionet2019' THEN 'physionet2019/' || regexp_extract(f.path, '[^/]*$')
         WHEN 'fhir' THEN CASE WHEN regexp_matches(f.path, '[.]ndjson([.]gz)?$') THEN 'fhir/ndjson'
                               ELSE 'fhir/json' END
         ELSE coalesce(r.format, '')
       END,
       f.path, f.run_id, f.records_in, f.stored, f.rejected, f.skipped
FROM ingest_files f
LEFT JOIN ingest_runs r ON r.run_id = f.run_id;
DROP TABLE ingest_files;
ALTER TABLE ingest_files_6 RENAME TO ingest_files;

CREATE OR REPLACE VIEW events AS
SELECT s.subject_id, e.time, c.code, e.numeric_value, e.text_value, c.unit, y.stay_id, src.source,
       c.display
FROM event_rows e
JOIN subjects s ON s.subject_key = e.subject_key
JOIN codes c ON c.code_key = e.code_key
LEFT JOIN stays y ON y.stay_key = e.stay_key
LEFT JOIN sources src ON src.source_key = e.source_key;
)sql";

const std::vector<std::string_view> kMigrations = {kMigrationTo2, kMigrationTo3, kMigrationTo4,
                                                   kMigrationTo5, kMigrationTo6};

}  // namespace vigil::store
