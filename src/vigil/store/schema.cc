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

const std::vector<std::string_view> kMigrations = {kMigrationTo2};

}  // namespace vigil::store
