// A `vigil ingest` process killed with SIGKILL mid-run leaves a store that opens and holds only
// whole files, and running the same command again completes it: the final store equals a clean run.
// Uses the built `vigil` binary (VIGIL_BINARY_DIR) as a real child process.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "vigil/base/file.h"
#include "vigil/ingest/physionet2019.h"
#include "vigil/ingest/physionet_fixtures.h"
#include "vigil/store/store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::ingest {
namespace {

namespace fs = std::filesystem;

constexpr int kFiles = 120;
constexpr int kHoursPerStay = 24;
// Commits seen on the child's debug log before the kill: well inside the ~17 commits of the run.
constexpr int kCommitsBeforeKill = 2;

struct Child {
  pid_t pid = -1;
  int stderr_fd = -1;
};

// Starts `argv` with its standard error on a pipe (standard output discarded).
Child Spawn(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    const int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, STDOUT_FILENO);
    close(fds[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// Reads the child's standard error until `needle` has appeared `count` times or the pipe closes.
bool WaitFor(const Child& child, const std::string& needle, int count) {
  std::string seen;
  char buf[4096];
  while (true) {
    const ssize_t n = read(child.stderr_fd, buf, sizeof buf);
    if (n <= 0) return false;
    seen.append(buf, static_cast<size_t>(n));
    int found = 0;
    for (size_t at = seen.find(needle); at != std::string::npos; at = seen.find(needle, at + 1)) {
      ++found;
    }
    if (found >= count) return true;
  }
}

// Runs `argv` to the end and returns its exit status (-1 when it did not exit normally).
int RunToEnd(const std::vector<std::string>& argv) {
  Child child = Spawn(argv);
  char buf[4096];
  while (read(child.stderr_fd, buf, sizeof buf) > 0) {
  }
  close(child.stderr_fd);
  int status = 0;
  waitpid(child.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> IngestCommand(const fs::path& store, const fs::path& input) {
  return {(testing::BinaryDir() / "vigil").string(),
          "-v",
          "ingest",
          "--store",
          store.string(),
          "--format",
          "physionet2019",
          "--commit-events",
          "600",
          input.string()};
}

std::vector<std::vector<std::string>> Query(store::Store& store, const std::string& sql) {
  auto rows = store.QueryText(sql);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? *rows : std::vector<std::vector<std::string>>{};
}

// Everything a run puts in the store, minus run ids and times.
std::map<std::string, std::vector<std::vector<std::string>>> Contents(const fs::path& path) {
  auto store = store::Store::Open(path, store::Store::Mode::kReadOnly);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return {};
  std::map<std::string, std::vector<std::vector<std::string>>> out;
  out["events"] = Query(**store,
                        "SELECT subject_id, strftime(time, '%Y-%m-%d %H:%M'), code, numeric_value, "
                        "unit, stay_id, source FROM events ORDER BY ALL");
  out["subjects"] = Query(**store, "SELECT subject_id, source, sex FROM subjects ORDER BY ALL");
  out["stays"] = Query(**store,
                       "SELECT stay_id, subject_id, kind, start_time, end_time, hospital_admit, "
                       "age_years, unit FROM stays ORDER BY ALL");
  out["rejects"] = Query(**store, "SELECT file, location, reason, raw FROM rejects ORDER BY ALL");
  out["files"] = Query(**store,
                       "SELECT file_sha256, path, records_in, stored, rejected, skipped FROM "
                       "ingest_files ORDER BY ALL");
  out["totals"] = Query(**store,
                        "SELECT sum(records_in), sum(stored), sum(rejected), sum(skipped) FROM "
                        "ingest_runs");
  return out;
}

TEST(IngestKillTest, KilledRunHoldsWholeFilesAndRerunCompletesIt) {
  const fs::path vigil = testing::BinaryDir() / "vigil";
  ASSERT_TRUE(fs::exists(vigil)) << "the vigil binary is built before the tests run: " << vigil;
  testing::TempDir dir;
  std::map<std::string, size_t> events_of;  // file name -> events its parse produces
  for (int i = 1; i <= kFiles; ++i) {
    std::string content = fixtures::BulkStay2019(i, kHoursPerStay, i % 7 == 0);
    if (i % 40 == 0) content += fixtures::Row2019(kHoursPerStay + 1, {{"HR", "8O"}}) + "\n";
    const std::string name = fmt::format("p{:06d}.psv", i);
    dir.Write("in/" + name, content);
    FileOutput parsed;
    parsed.path = name;
    parsed.content = content;
    ReadPhysioNet2019(parsed);
    events_of[name] = parsed.batch.events.size();
  }
  const fs::path killed = dir.path() / "killed.duckdb";

  Child child = Spawn(IngestCommand(killed, dir.path() / "in"));
  ASSERT_GT(child.pid, 0);
  const bool committed = WaitFor(child, "ingest: committed", kCommitsBeforeKill);
  kill(child.pid, SIGKILL);
  close(child.stderr_fd);
  int status = 0;
  waitpid(child.pid, &status, 0);
  ASSERT_TRUE(committed) << "the child ended before committing";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  {
    // The store opens, marks the run interrupted, and holds exactly the files it lists.
    auto store = store::Store::Open(killed, store::Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto runs = Query(**store, "SELECT status FROM ingest_runs");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0][0], "interrupted");
    std::map<std::string, size_t> stored;
    for (const auto& row : Query(**store, "SELECT source, count(*) FROM events GROUP BY source")) {
      stored[row[0]] = std::stoul(row[1]);
    }
    std::set<std::string> listed;
    for (const auto& row : Query(**store, "SELECT path FROM ingest_files")) {
      listed.insert(fs::path(row[0]).filename().string());
    }
    EXPECT_GT(listed.size(), 0u);
    EXPECT_LT(listed.size(), static_cast<size_t>(kFiles)) << "the kill landed after the run";
    for (const auto& [name, expected] : events_of) {
      SCOPED_TRACE(name);
      EXPECT_EQ(stored.count(name) ? stored[name] : 0, listed.count(name) ? expected : 0);
    }
    auto balance =
        Query(**store, "SELECT records_in = stored + rejected + skipped FROM ingest_runs");
    EXPECT_EQ(balance.at(0).at(0), "true");
    // The run counts the files it committed before the kill.
    auto files = Query(**store, "SELECT files_ingested FROM ingest_runs");
    EXPECT_EQ(files.at(0).at(0), std::to_string(listed.size()));
  }

  EXPECT_EQ(RunToEnd(IngestCommand(killed, dir.path() / "in")), 3);  // some cells are rejected
  const fs::path clean = dir.path() / "clean.duckdb";
  EXPECT_EQ(RunToEnd(IngestCommand(clean, dir.path() / "in")), 3);
  auto after_kill = Contents(killed);
  auto clean_run = Contents(clean);
  for (const auto& [table, rows] : clean_run) {
    SCOPED_TRACE(table);
    EXPECT_FALSE(rows.empty());
    EXPECT_EQ(after_kill[table], rows);
  }
  EXPECT_EQ(clean_run["files"].size(), static_cast<size_t>(kFiles));
}

}  // namespace
}  // namespace vigil::ingest
