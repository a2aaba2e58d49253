# Finds DuckDB: a system installation first, else the prebuilt library that scripts/setup.sh unpacks into
# third_party/duckdb/<version>. Defines the imported target DuckDB::duckdb.
set(_vigil_duckdb_hint "${PROJECT_SOURCE_DIR}/third_party/duckdb/${VIGIL_DUCKDB_VERSION}")
find_path(DuckDB_INCLUDE_DIR duckdb.h HINTS "${_vigil_duckdb_hint}/include")
find_library(DuckDB_LIBRARY duckdb HINTS "${_vigil_duckdb_hint}/lib")
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(DuckDB REQUIRED_VARS DuckDB_LIBRARY DuckDB_INCLUDE_DIR)
if(DuckDB_FOUND AND NOT TARGET DuckDB::duckdb)
  add_library(DuckDB::duckdb SHARED IMPORTED)
  set_target_properties(DuckDB::duckdb PROPERTIES
    IMPORTED_LOCATION "${DuckDB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${DuckDB_INCLUDE_DIR}")
endif()
