// The store's DDL and its migrations. Internal to the store module.
#ifndef VIGIL_STORE_SCHEMA_H_
#define VIGIL_STORE_SCHEMA_H_

#include <string_view>
#include <vector>

namespace vigil::store {

// Creates every table of schema version 1 in an empty database. A new store runs this and then
// every migration, so new and migrated stores have the same tables. Tests use it to build a
// version 1 store.
extern const std::string_view kSchemaVersion1Sql;

// kMigrations[i] upgrades a store from schema version i + 1 to i + 2. Each runs in one transaction
// with the version update, so a store is never left between two versions.
extern const std::vector<std::string_view> kMigrations;

}  // namespace vigil::store

#endif  // VIGIL_STORE_SCHEMA_H_
