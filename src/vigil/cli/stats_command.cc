// vigil stats --store S [--json]
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "vigil/base/text.h"
#include "vigil/cli/command.h"
#include "vigil/store/store.h"
#include "vigil/terminology/display.h"

namespace vigil::cli {
namespace {

struct StatsFlags {
  std::string store = "vigil.duckdb";
  bool json = false;
  size_t codes = 25;
};

std::string CodeName(const store::CodeCount& c) {
  return std::string(terminology::PreferredName(c.code, c.display));
}

nlohmann::ordered_json ToJson(const store::Stats& s) {
  nlohmann::ordered_json j;
  j["subjects"] = s.subjects;
  j["stays"] = s.stays;
  j["events"] = s.events;
  j["rejects"] = s.rejects;
  auto& codes = j["events_by_code"] = nlohmann::ordered_json::array();
  for (const auto& c : s.events_by_code) {
    codes.push_back(
        {{"code", c.code}, {"unit", c.unit}, {"count", c.count}, {"name", CodeName(c)}});
  }
  auto& reasons = j["rejects_by_reason"] = nlohmann::ordered_json::array();
  for (const auto& r : s.rejects_by_reason)
    reasons.push_back({{"reason", r.reason}, {"count", r.count}});
  auto& runs = j["runs"] = nlohmann::ordered_json::array();
  for (const auto& r : s.runs) {
    nlohmann::ordered_json run = {{"run_id", r.run_id},
                                  {"format", r.format},
                                  {"status", r.status},
                                  {"started", r.started},
                                  {"finished", r.finished},
                                  {"files_in", r.files_in},
                                  {"files_ingested", r.files_ingested},
                                  {"files_unchanged", r.files_unchanged},
                                  {"records_in", r.counts.records_in},
                                  {"stored", r.counts.stored},
                                  {"rejected", r.counts.rejected},
                                  {"skipped", r.counts.skipped}};
    auto& skips = run["skipped_by_reason"] = nlohmann::ordered_json::array();
    for (const auto& k : r.skips) skips.push_back({{"reason", k.reason}, {"count", k.count}});
    runs.push_back(std::move(run));
  }
  return j;
}

// "2026-11-23T07:52:01.694441Z" -> "2026-11-23T07:52:01Z": the table has no room for microseconds.
std::string ToSeconds(const std::string& iso) {
  constexpr size_t kSeconds = 19;  // YYYY-MM-DDThh:mm:ss
  return iso.size() > kSeconds ? iso.substr(0, kSeconds) + "Z" : iso;
}

void PrintText(const store::Stats& s, size_t max_codes) {
  using base::WithThousands;
  std::printf("subjects  %s\nstays     %s\nevents    %s\nrejects   %s\n",
              WithThousands(s.subjects).c_str(), WithThousands(s.stays).c_str(),
              WithThousands(s.events).c_str(), WithThousands(s.rejects).c_str());
  if (!s.events_by_code.empty() && max_codes > 0) {
    std::printf("\nevents by code%s\n", s.events_by_code.size() > max_codes
                                            ? fmt::format(" (top {})", max_codes).c_str()
                                            : "");
    for (size_t i = 0; i < s.events_by_code.size() && i < max_codes; ++i) {
      const auto& c = s.events_by_code[i];
      const std::string unit = c.unit.empty() ? "" : "(" + c.unit + ")";
      const std::string line = fmt::format("  {:>12}  {:<24} {:<12} {}", WithThousands(c.count),
                                           c.code, unit, CodeName(c));
      std::printf("%s\n", line.substr(0, line.find_last_not_of(' ') + 1).c_str());
    }
  }
  if (!s.rejects_by_reason.empty()) {
    std::printf("\nrejects by reason\n");
    for (const auto& r : s.rejects_by_reason) {
      std::printf("  %12s  %s\n", WithThousands(r.count).c_str(), r.reason.c_str());
    }
  }
  if (!s.runs.empty()) {
    std::printf("\ningest runs\n  %4s  %-14s %-11s %-20s %8s %12s %12s %10s %12s\n", "run",
                "format", "status", "started", "files", "records_in", "stored", "rejected",
                "skipped");
    for (const auto& r : s.runs) {
      std::printf("  %4lld  %-14s %-11s %-20s %8s %12s %12s %10s %12s\n",
                  static_cast<long long>(r.run_id), r.format.c_str(), r.status.c_str(),
                  ToSeconds(r.started).c_str(), WithThousands(r.files_ingested).c_str(),
                  WithThousands(r.counts.records_in).c_str(),
                  WithThousands(r.counts.stored).c_str(), WithThousands(r.counts.rejected).c_str(),
                  WithThousands(r.counts.skipped).c_str());
    }
  }
}

int Run(const StatsFlags& flags) {
  auto store = store::Store::Open(flags.store, store::Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  auto stats = (*store)->GetStats();
  if (!stats.ok()) return ReportError(stats.status());
  if (flags.json) {
    std::printf("%s\n", ToJson(*stats).dump(2).c_str());
  } else {
    PrintText(*stats, flags.codes);
  }
  return kExitOk;
}

}  // namespace

void AddStatsCommand(CLI::App& app, const GlobalOptions&, int& exit_code) {
  auto flags = std::make_shared<StatsFlags>();
  CLI::App* sub = app.add_subcommand(
      "stats",
      "Counts in a store: subjects, stays, events by code, rejects by reason, ingest runs");
  sub->add_option("--store", flags->store, "The store")->capture_default_str();
  sub->add_flag("--json", flags->json,
                "Machine-readable output (keys subjects, stays, events, rejects, events_by_code, "
                "rejects_by_reason, runs)");
  sub->add_option("--codes", flags->codes, "How many codes the text output lists (0: none)")
      ->capture_default_str()
      ->check(AtLeast(0));
  sub->callback([flags, &exit_code] { exit_code = Run(*flags); });
}

}  // namespace vigil::cli
