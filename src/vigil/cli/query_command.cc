// vigil query --store S SQL: runs one read-only SQL statement on the store and prints the rows,
// tab-separated (NULL as empty; tabs, line breaks and backslashes in values escaped). For users and
// evaluation scripts on machines without a DuckDB client.
#include <cstdio>
#include <string>
#include <vector>

#include "vigil/cli/command.h"
#include "vigil/store/store.h"

namespace vigil::cli {
namespace {

struct QueryFlags {
  std::string store = "vigil.duckdb";
  std::string sql;
  bool header = false;
};

// A cell's tabs, line breaks and backslashes are written as \t, \n, \r and \\ (as PostgreSQL's
// text format does), so that every row is one line and every column one field.
void PrintCell(const std::string& cell) {
  for (char c : cell) {
    switch (c) {
      case '\t':
        std::fputs("\\t", stdout);
        break;
      case '\n':
        std::fputs("\\n", stdout);
        break;
      case '\r':
        std::fputs("\\r", stdout);
        break;
      case '\\':
        std::fputs("\\\\", stdout);
        break;
      default:
        std::fputc(c, stdout);
    }
  }
}

void PrintRow(const std::vector<std::string>& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    PrintCell(row[i]);
    std::fputc(i + 1 < row.size() ? '\t' : '\n', stdout);
  }
}

int Run(const QueryFlags& flags) {
  auto store = store::Store::Open(flags.store, store::Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  std::vector<std::string> names;
  auto rows = (*store)->QueryAsText(flags.sql, &names);
  if (!rows.ok()) return ReportError(rows.status(), /*usage=*/true);
  if (flags.header) PrintRow(names);
  for (const auto& row : *rows) PrintRow(row);
  return kExitOk;
}

}  // namespace

void AddQueryCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<QueryFlags>();
  CLI::App* sub = app.add_subcommand(
      "query",
      "Run one SQL query on the store (opened read-only) and print the rows tab-separated (NULL "
      "as empty; tabs, line breaks and backslashes in values as \\t, \\n, \\r, \\\\). Tables and "
      "the "
      "`events` view are described in docs/store.md.");
  sub->add_option("--store", flags->store, "The store (a DuckDB file)")->capture_default_str();
  sub->add_option("sql", flags->sql, "The SQL statement")->required();
  sub->add_flag("--header", flags->header, "Print the column names first");
  sub->callback([flags, &exit_code] { exit_code = Run(*flags); });
}

}  // namespace vigil::cli
