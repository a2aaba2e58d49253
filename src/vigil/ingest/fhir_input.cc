#include "vigil/ingest/fhir_input.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "vigil/base/hash.h"

namespace vigil::ingest::fhir {
namespace fs = std::filesystem;
using base::Result;
using base::Status;

namespace {

constexpr size_t kMaxInitialLineBuffer = 8 << 20;
constexpr size_t kMinInitialLineBuffer = 64 << 10;
constexpr size_t kReadBlock = 1 << 20;
constexpr unsigned kGzipBuffer = 1 << 18;

std::string SystemError(std::string_view what, const fs::path& path) {
  return fmt::format("{} {}: {}", what, path.string(), std::strerror(errno));
}

// gzread that reports damage instead of failing: truncated data (zlib's "unexpected end of file",
// Z_BUF_ERROR at the end) or corrupt data (an error) set `damaged` and end the data.
int GzipRead(gzFile gz, char* out, size_t n, bool& damaged) {
  if (damaged) return 0;
  const int got = gzread(gz, out, static_cast<unsigned>(n));
  int error = Z_OK;
  if (got < 0) {
    damaged = true;
    return 0;
  }
  if (got == 0) {
    gzerror(gz, &error);
    if (error == Z_BUF_ERROR) damaged = true;
  }
  return got;
}

}  // namespace

bool IsGzip(const fs::path& path) { return path.extension() == ".gz"; }

// A plain file (stdio) or a gzip stream (zlib).
struct LineReader::Source {
  fs::path path;
  std::FILE* file = nullptr;
  gzFile gz = nullptr;
  int64_t plain_read = 0;
  bool damaged = false;  // gzip data ended early or is corrupt

  ~Source() {
    if (file != nullptr) std::fclose(file);
    if (gz != nullptr) gzclose(gz);
  }

  // Reads up to `n` bytes; 0 at the end.
  Result<size_t> Read(char* out, size_t n) {
    if (gz != nullptr) {
      const int got = GzipRead(gz, out, n, damaged);
      return static_cast<size_t>(got);
    }
    const size_t got = std::fread(out, 1, n, file);
    if (got < n && std::ferror(file)) return base::IoError(SystemError("cannot read", path));
    plain_read += static_cast<int64_t>(got);
    return got;
  }

  int64_t Consumed() const { return gz != nullptr ? gzoffset(gz) : plain_read; }
};

LineReader::LineReader(std::unique_ptr<Source> source) : source_(std::move(source)) {}
LineReader::~LineReader() = default;

Result<std::unique_ptr<LineReader>> LineReader::Open(const fs::path& path) {
  auto source = std::make_unique<Source>();
  source->path = path;
  if (IsGzip(path)) {
    source->gz = gzopen(path.c_str(), "rb");
    if (source->gz == nullptr) return base::IoError(SystemError("cannot open", path));
    gzbuffer(source->gz, kGzipBuffer);
  } else {
    source->file = std::fopen(path.c_str(), "rb");
    if (source->file == nullptr) return base::IoError(SystemError("cannot open", path));
  }
  auto reader = std::unique_ptr<LineReader>(new LineReader(std::move(source)));
  // Small files get a small buffer; a gzip file's size says little about its content.
  std::error_code ec;
  const uintmax_t size = IsGzip(path) ? kMaxInitialLineBuffer : fs::file_size(path, ec);
  reader->capacity_ = std::clamp<size_t>(ec ? kMaxInitialLineBuffer : static_cast<size_t>(size),
                                         kMinInitialLineBuffer, kMaxInitialLineBuffer);
  reader->buffer_ =
      std::make_unique_for_overwrite<char[]>(reader->capacity_ + simdjson::SIMDJSON_PADDING);
  return reader;
}

int64_t LineReader::file_bytes_read() const { return source_->Consumed(); }

bool LineReader::damaged() const { return eof_ && source_->damaged; }

Status LineReader::Fill() {
  // Keep the unconsumed tail at the front; grow when one line fills the whole buffer.
  const size_t tail = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, tail);
  } else if (tail == capacity_) {
    auto bigger =
        std::make_unique_for_overwrite<char[]>(2 * capacity_ + simdjson::SIMDJSON_PADDING);
    std::memcpy(bigger.get(), buffer_.get(), tail);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }
  begin_ = 0;
  end_ = tail;
  while (end_ < capacity_ && !eof_) {
    VIGIL_ASSIGN_OR_RETURN(
        size_t got, source_->Read(buffer_.get() + end_, std::min(kReadBlock, capacity_ - end_)));
    if (got == 0) eof_ = true;
    end_ += got;
  }
  std::memset(buffer_.get() + end_, 0, simdjson::SIMDJSON_PADDING);
  return Status::Ok();
}

Result<std::optional<Line>> LineReader::Next() {
  while (true) {
    char* start = buffer_.get() + begin_;
    const size_t available = end_ - begin_;
    auto* newline = static_cast<char*>(std::memchr(start, '\n', available));
    if (newline == nullptr && !eof_) {
      VIGIL_RETURN_IF_ERROR(Fill());
      continue;
    }
    if (newline == nullptr && available == 0) return std::optional<Line>();
    const size_t length = newline != nullptr ? static_cast<size_t>(newline - start) : available;
    begin_ += length + (newline != nullptr ? 1 : 0);
    Line line;
    line.text = std::string_view(start, length);
    if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
    line.padded_capacity =
        static_cast<size_t>(buffer_.get() + capacity_ + simdjson::SIMDJSON_PADDING - start);
    line.number = ++line_number_;
    line.cut = newline == nullptr && source_->damaged;
    return std::optional<Line>(line);
  }
}

Result<simdjson::padded_string> ReadPadded(const fs::path& path, bool* damaged) {
  std::string content;
  if (IsGzip(path)) {
    gzFile gz = gzopen(path.c_str(), "rb");
    if (gz == nullptr) return base::IoError(SystemError("cannot open", path));
    gzbuffer(gz, kGzipBuffer);
    std::vector<char> block(kReadBlock);
    bool broken = false;
    while (true) {
      const int got = GzipRead(gz, block.data(), block.size(), broken);
      if (got == 0) break;
      content.append(block.data(), static_cast<size_t>(got));
    }
    gzclose(gz);
    if (damaged != nullptr) *damaged = broken;
    return simdjson::padded_string(content);
  }
  auto loaded = simdjson::padded_string::load(path.string());
  if (loaded.error()) return base::IoError(SystemError("cannot read", path));
  return std::move(loaded).value_unsafe();
}

// ---- HashAhead ----

HashAhead::HashAhead(std::vector<fs::path> files)
    : files_(std::move(files)), hashes_(files_.size()), thread_([this] { Work(); }) {}

HashAhead::~HashAhead() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  thread_.join();
}

void HashAhead::Work() {
  std::vector<char> block(kReadBlock);
  for (size_t i = 0; i < files_.size(); ++i) {
    Result<std::string> result = base::IoError("unset");
    std::FILE* f = std::fopen(files_[i].c_str(), "rb");
    if (f == nullptr) {
      result = base::IoError(SystemError("cannot open", files_[i]));
    } else {
      base::Sha256 sha;
      size_t got = 0;
      bool stopped = false;
      while ((got = std::fread(block.data(), 1, block.size(), f)) > 0) {
        sha.Update(std::string_view(block.data(), got));
        std::lock_guard lock(mu_);
        if (stop_) {
          stopped = true;
          break;
        }
      }
      const bool failed = std::ferror(f) != 0;
      std::fclose(f);
      if (stopped) return;
      result = failed ? Result<std::string>(base::IoError(SystemError("cannot read", files_[i])))
                      : Result<std::string>(sha.FinishHex());
    }
    std::lock_guard lock(mu_);
    hashes_[i] = std::move(result);
    cv_.notify_all();
    if (stop_) return;
  }
}

Result<std::string> HashAhead::Get(size_t i) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return hashes_[i].has_value(); });
  return *hashes_[i];
}

}  // namespace vigil::ingest::fhir
