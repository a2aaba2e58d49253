// vigil timeline --store S SUBJECT_ID
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/text.h"
#include "vigil/base/time.h"
#include "vigil/cli/command.h"
#include "vigil/store/store.h"
#include "vigil/terminology/display.h"

namespace vigil::cli {
namespace {

struct TimelineFlags {
  std::string store = "vigil.duckdb";
  std::string subject_id;
  std::string stay_id;             // empty: every stay
  std::vector<std::string> codes;  // empty: every code
};

// Whether `code` is one of `wanted`: equal to one, or in a vocabulary given as "SNOMED/".
bool CodeWanted(std::string_view code, const std::vector<std::string>& wanted) {
  for (const std::string& w : wanted) {
    if (code == w || (w.ends_with('/') && code.starts_with(w))) return true;
  }
  return false;
}

// Keeps the stay and the codes asked for. False when the subject has no such stay.
bool Filter(const TimelineFlags& flags, store::Timeline& tl) {
  if (!flags.stay_id.empty()) {
    std::erase_if(tl.stays, [&](const store::Stay& y) { return y.stay_id != flags.stay_id; });
    if (tl.stays.empty()) return false;
    std::erase_if(tl.events, [&](const store::Event& e) { return e.stay_id != flags.stay_id; });
  }
  if (!flags.codes.empty()) {
    std::erase_if(tl.events,
                  [&](const store::Event& e) { return !CodeWanted(e.code, flags.codes); });
  }
  return true;
}

std::string Opt(const std::optional<std::string>& v) { return v ? *v : "-"; }
std::string Opt(const std::optional<base::Instant>& v) { return v ? base::FormatIso8601(*v) : "-"; }

// "  age 64  weight 80 kg  unit MICU": the stay's known details only (empty when none is known).
std::string StayDetails(const store::Stay& y, const terminology::CodeNames& names) {
  std::string out;
  auto add = [&out](std::string_view name, const std::string& value) {
    out += fmt::format("  {} {}", name, value);
  };
  if (y.hospital_admit) add("hospital admission", base::FormatIso8601(*y.hospital_admit));
  if (y.age_years) add("age", fmt::format("{:g}", *y.age_years));
  if (y.height_cm) add("height", fmt::format("{:g} cm", *y.height_cm));
  if (y.weight_kg) add("weight", fmt::format("{:g} kg", *y.weight_kg));
  if (y.unit) add("unit", *y.unit);
  if (y.type) {
    const std::string_view name = names.Display(*y.type);
    add("type", name.empty() ? *y.type : fmt::format("{} {}", *y.type, name));
  }
  if (y.disposition) add("disposition", *y.disposition);
  if (y.location) add("location", *y.location);
  return out;
}

// A code's name for the name column: names the data gave can be long ("Pain severity - 0-10 verbal
// numeric rating [Score] - Reported"), so they are cut, at a character, to keep the rows readable.
std::string ColumnName(const terminology::CodeNames& names, std::string_view code) {
  constexpr size_t kMaxName = 40;
  const std::string_view name = names.Display(code);
  if (name.size() <= kMaxName) return std::string(name);
  return std::string(base::Utf8Prefix(name, kMaxName - 3)) + "...";
}

void Print(const store::Timeline& tl, const terminology::CodeNames& names) {
  const store::Subject& s = *tl.subject;
  std::printf("subject %s  source %s  sex %s  birth date %s  race %s  ethnicity %s\n",
              s.subject_id.c_str(), s.source.c_str(), Opt(s.sex).c_str(),
              s.birth_date
                  ? base::FormatIso8601(base::FromMicros(int64_t{*s.birth_date} * 86400000000LL))
                        .substr(0, 10)
                        .c_str()
                  : "-",
              Opt(s.race).c_str(), Opt(s.ethnicity).c_str());
  std::map<std::string, base::Instant> stay_start;
  size_t stay_width = 4;  // the columns fit the longest stay identifier and code shown
  for (const store::Stay& y : tl.stays) {
    std::printf("\nstay %s  %s  %s -> %s\n", y.stay_id.c_str(), y.kind.c_str(),
                Opt(y.start).c_str(), Opt(y.end).c_str());
    const std::string details = StayDetails(y, names);
    if (!details.empty()) std::printf("%s\n", details.c_str());
    for (const auto& r : tl.reference_scores) {
      if (r.stay_id == y.stay_id)
        std::printf("  reference score %s = %g\n", r.name.c_str(), r.value);
    }
    if (y.start) stay_start.emplace(y.stay_id, *y.start);
    stay_width = std::max(stay_width, y.stay_id.size());
  }
  size_t code_width = 4, name_width = 4;
  for (const store::Event& e : tl.events) {
    code_width = std::max(code_width, e.code.size());
    name_width = std::max(name_width, ColumnName(names, e.code).size());
  }
  const auto w = static_cast<int>(stay_width), c = static_cast<int>(code_width),
             n = static_cast<int>(name_width);
  std::printf("\n%-27s %-9s %-*s %-*s %-*s %-14s %-10s %s\n", "time", "offset", w, "stay", c,
              "code", n, "name", "value", "unit", "source");
  for (const store::Event& e : tl.events) {
    // The offset is from the start of the event's stay (PhysioNet times are offsets from ICU
    // admission).
    const auto start = stay_start.find(e.stay_id);
    const std::string offset =
        start == stay_start.end() ? "" : base::FormatOffsetHoursMinutes(e.time - start->second);
    std::string value = e.numeric_value ? fmt::format("{:g}", *e.numeric_value)
                        : e.text_value  ? *e.text_value
                                        : "";
    const std::string name = ColumnName(names, e.code);
    std::printf("%-27s %-9s %-*s %-*s %-*s %-14s %-10s %s\n", base::FormatIso8601(e.time).c_str(),
                offset.c_str(), w, e.stay_id.c_str(), c, e.code.c_str(), n, name.c_str(),
                value.c_str(), e.unit.c_str(), e.source.c_str());
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
  const size_t all_events = tl->events.size();
  if (!Filter(flags, *tl)) {
    return ReportError(base::NotFoundError("the subject has no stay with that identifier"));
  }
  auto names = (*store)->CodeDisplays();
  if (!names.ok()) return ReportError(names.status());
  Print(*tl, terminology::CodeNames(std::move(*names)));
  if (!flags.stay_id.empty() || !flags.codes.empty()) {
    std::printf("\n%s of the subject's %s events shown\n",
                base::WithThousands(static_cast<int64_t>(tl->events.size())).c_str(),
                base::WithThousands(static_cast<int64_t>(all_events)).c_str());
  }
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
  sub->add_option("--stay", flags->stay_id, "Only this stay and its events");
  sub->add_option("--code", flags->codes,
                  "Only events of this code (repeat it for more; a vocabulary such as SNOMED/ "
                  "takes all its codes)");
  sub->callback([flags, &exit_code] { exit_code = Run(*flags); });
}

}  // namespace vigil::cli
