#include "vigil/ingest/physionet_text.h"

#include <cstring>

namespace vigil::ingest::physionet {

std::optional<Line> LineReader::Next() {
  if (rest_.empty()) return std::nullopt;
  Line line;
  line.number = ++number_;
  const size_t end = rest_.find('\n');
  if (end == std::string_view::npos) {
    line.text = rest_;
    rest_ = {};
  } else {
    line.text = rest_.substr(0, end);
    line.terminated = true;
    rest_.remove_prefix(end + 1);
  }
  if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
  return line;
}

std::string LineLocation(int64_t line) { return "line " + std::to_string(line); }

std::optional<std::string_view> WholeFileProblem(std::string_view content) {
  if (content.find_first_not_of(" \t\r\n") == std::string_view::npos) return "empty file";
  if (std::memchr(content.data(), '\0', content.size()) != nullptr) {
    return "binary content (NUL bytes: not a text file)";
  }
  return std::nullopt;
}

void RejectWholeFile(FileOutput& out, std::string_view reason) {
  store::Batch rejected;
  LineReader lines(out.content);
  while (auto line = lines.Next()) {
    if (line->text.empty()) continue;
    AddReject(rejected, out.path, LineLocation(line->number), reason, line->text);
  }
  if (rejected.rejects.empty()) AddReject(rejected, out.path, "file", reason, out.content);
  out.batch = std::move(rejected);
}

std::string SourceName(const FileOutput& out) { return out.path.filename().string(); }

}  // namespace vigil::ingest::physionet
