#include "vigil/store/csv_writer.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "vigil/base/time.h"

namespace vigil::store {
namespace {

constexpr size_t kRowsPerChunk = 16384;

void AppendText(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendFloat(std::string& out, float v) {
  if (std::isnan(v)) return;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec == std::errc()) out.append(buf, end);
}

void FormatRows(const std::vector<TableColumn>& columns, size_t begin, size_t end,
                std::string& out) {
  out.clear();
  for (size_t r = begin; r < end; ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const TableColumn& col = columns[c];
      if (c > 0) out.push_back(',');
      if (col.text != nullptr) {
        AppendText(out, (*col.text)[r]);
      } else if (col.timestamps != nullptr) {
        out += base::FormatIso8601(base::FromMicros((*col.timestamps)[r]));
      } else {
        AppendFloat(out, col.floats[r * col.stride]);
      }
    }
    out.push_back('\n');
  }
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};

}  // namespace

base::Status WriteCsvFile(const std::vector<TableColumn>& columns, size_t rows,
                          const std::filesystem::path& tmp) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(tmp.c_str(), "wb"));
  if (!file) return base::IoError(fmt::format("cannot write {}", tmp.string()));
  std::string header;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) header.push_back(',');
    AppendText(header, columns[c].name);
  }
  header.push_back('\n');
  bool ok = std::fwrite(header.data(), 1, header.size(), file.get()) == header.size();
  const size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> buffers(threads);
  for (size_t start = 0; start < rows && ok; start += threads * kRowsPerChunk) {
    std::vector<std::thread> workers;
    for (size_t t = 0; t < threads; ++t) {
      const size_t b = std::min(rows, start + t * kRowsPerChunk);
      const size_t e = std::min(rows, b + kRowsPerChunk);
      workers.emplace_back([&, b, e, t] { FormatRows(columns, b, e, buffers[t]); });
    }
    for (auto& w : workers) w.join();
    for (const std::string& buf : buffers) {
      ok = ok && std::fwrite(buf.data(), 1, buf.size(), file.get()) == buf.size();
    }
  }
  ok = ok && std::fflush(file.get()) == 0;
  if (std::fclose(file.release()) != 0) ok = false;
  if (!ok) return base::IoError(fmt::format("cannot write {} (disk full?)", tmp.string()));
  return base::Status::Ok();
}

}  // namespace vigil::store
