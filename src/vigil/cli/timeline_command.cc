// vigil timeline --store S SUBJECT_ID
#include <fmt/format.h>

#include <cstdio>

#include "vigil/base/time.h"
#include "vigil/cli/command.h"
#include "vigil/store/store.h"

namespace vigil::cli {
namespace {

struct TimelineFlags {
  std::string store = "vigil.duckdb";
  std::string subject_id;
};

std::string Opt(const std::optional<std::string>& v) { return v ? *v : "-"; }
std::string Opt(const std::optional<double>& v) { return v ? fmt::format("{:g}", *v) : "-"; }
std::string Opt(const std::optional<base::Instant>& v) { return v ? base::FormatIso8601(*v) : "-"; }

void Print(const store::Timeline& tl) {
  const store::Subject& s = *tl.subject;
  std::printf("subject %s  source %s  sex %s  birth date %s  race %s  ethnicity %s\n",
              s.subject_id.c_str(), s.source.c_str(), Opt(s.sex).c_str(),
              s.birth_date
                  ? base::FormatIso8601(base::FromMicros(int64_t{*s.birth_date} * 86400000000LL))
                        .substr(0, 10)
                        .c_str()
                  : "-",
              Opt(s.race).c_str(), Opt(s.ethnicity).c_str());
  for (const store::Stay& y : tl.stays) {
    std::printf("\nstay %s  %s  %s -> %s\n", y.stay_id.c_str(), y.kind.c_str(),
                Opt(y.start).c_str(), Opt(y.end).c_str());
    std::printf(
        "  hospital admission %s  age %s  height %s cm  weight %s kg  unit %s  type %s  "
        "disposition %s  location %s\n",
        Opt(y.hospital_admit).c_str(), Opt(y.age_years).c_str(), Opt(y.height_cm).c_str(),
        Opt(y.weight_kg).c_str(), Opt(y.unit).c_str(), Opt(y.type).c_str(),
        Opt(y.disposition).c_str(), Opt(y.location).c_str());
    for (const auto& r : tl.reference_scores) {
      if (r.stay_id == y.stay_id)
        std::printf("  reference score %s = %g\n", r.name.c_str(), r.value);
    }
  }
  std::printf("\n%-27s %-9s %-10s %-28s %-14s %-10s %s\n", "time", "offset", "stay", "code",
              "value", "unit", "source");
  for (const store::Event& e : tl.events) {
    // The offset is from the start of the event's stay (PhysioNet times are offsets from ICU
    // admission).
    std::string offset = "";
    for (const store::Stay& y : tl.stays) {
      if (y.stay_id == e.stay_id && y.start)
        offset = base::FormatOffsetHoursMinutes(e.time - *y.start);
    }
    std::string value = e.numeric_value ? fmt::format("{:g}", *e.numeric_value)
                        : e.text_value  ? *e.text_value
                                        : "";
    std::printf("%-27s %-9s %-10s %-28s %-14s %-10s %s\n", base::FormatIso8601(e.time).c_str(),
                offset.c_str(), e.stay_id.c_str(), e.code.c_str(), value.c_str(), e.unit.c_str(),
                e.source.c_str());
  }
}

int Run(const TimelineFlags& flags) {
  auto store = store::Store::Open(flags.store, store::Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  auto tl = (*store)->GetTimeline(flags.subject_id);
  if (!tl.ok()) return ReportError(tl.status());
  if (!tl->subject) {
    return ReportError(base::NotFoundError("no such subject in the store"));
  }
  Print(*tl);
  return kExitOk;
}

}  // namespace

void AddTimelineCommand(CLI::App& app, const GlobalOptions&, int& exit_code) {
  auto flags = std::make_shared<TimelineFlags>();
  CLI::App* sub = app.add_subcommand(
      "timeline", "A subject's stays and events in time order, for people to read");
  sub->add_option("--store", flags->store, "The store")->capture_default_str();
  sub->add_option(
         "subject_id", flags->subject_id,
         "The subject's identifier as the source gives it (RecordID, file name, Patient id)")
      ->required();
  sub->callback([flags, &exit_code] { exit_code = Run(*flags); });
}

}  // namespace vigil::cli
