// Pieces shared by the PhysioNet readers: the epoch, line splitting (LF or CRLF), and rejecting a
// whole file. docs/ingest.md describes the formats and the accounting.
#ifndef VIGIL_INGEST_PHYSIONET_TEXT_H_
#define VIGIL_INGEST_PHYSIONET_TEXT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/base/time.h"
#include "vigil/ingest/session.h"

namespace vigil::ingest::physionet {

// ICU admission of every PhysioNet stay: 2000-01-01T00:00:00Z. Relative times are offsets from it,
// so the original offsets are recoverable (time - epoch).
inline constexpr base::Instant kEpoch{
    std::chrono::sys_days{std::chrono::year{2000} / std::chrono::January / 1}};

// Skip reasons (what the formats define as empty).
inline constexpr std::string_view kSkipNaN = "empty value (NaN)";
inline constexpr std::string_view kSkipMinusOne = "unknown value (-1)";
// A last line without its newline that does not parse: the file was cut short.
inline constexpr std::string_view kTruncatedLine = "truncated line (no newline at end of file)";

// One line of a file, without its line ending ("\n" or "\r\n").
struct Line {
  std::string_view text;
  int64_t number = 0;       // 1-based
  bool terminated = false;  // false for a last line without "\n"
};

// Iterates over the lines of `content`.
class LineReader {
 public:
  explicit LineReader(std::string_view content) : rest_(content) {}
  // The next line, or nullopt at the end.
  std::optional<Line> Next();

 private:
  std::string_view rest_;
  int64_t number_ = 0;
};

// "line 12".
std::string LineLocation(int64_t line);

// Why `content` cannot be read as text at all ("empty file", "binary content ..."), or nullopt.
std::optional<std::string_view> WholeFileProblem(std::string_view content);

// Replaces what a reader produced for `out` with one reject per non-empty line (the header too),
// all with `reason`; an empty file becomes one reject at location "file". Also the session's
// SessionOptions::reject_whole_file for the PhysioNet formats.
void RejectWholeFile(FileOutput& out, std::string_view reason);

// The file name (without folders): the `source` of the file's events.
std::string SourceName(const FileOutput& out);

}  // namespace vigil::ingest::physionet

#endif  // VIGIL_INGEST_PHYSIONET_TEXT_H_
