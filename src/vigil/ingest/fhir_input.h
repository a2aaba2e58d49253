// Input for the FHIR reader: NDJSON files streamed line by line with bounded memory, whole JSON
// files, gzip (zlib) for either, and file fingerprints computed ahead on a second thread.
#ifndef VIGIL_INGEST_FHIR_INPUT_H_
#define VIGIL_INGEST_FHIR_INPUT_H_

#include <simdjson.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::ingest::fhir {

// True for names ending in .gz.
bool IsGzip(const std::filesystem::path& path);

// One line of an NDJSON file. `text` excludes the line break; the bytes from text.data() up to
// text.data() + padded_capacity are readable, as simdjson requires (SIMDJSON_PADDING past the end).
struct Line {
  std::string_view text;
  size_t padded_capacity = 0;
  int64_t number = 0;  // 1-based
  bool cut = false;    // the last line of damaged gzip data, without its end
};

// Why a gzip file's data ended before its end (LineReader::damage, ReadPadded).
inline constexpr std::string_view kGzipDamaged =
    "corrupt or truncated gzip data (the file ends before its compressed data does, or the data "
    "is damaged)";

// Reads an NDJSON file (plain or gzip) line by line. Memory: a buffer of at least the longest line
// (starting at 8 MB), never the whole file. Not thread-safe.
class LineReader {
 public:
  static base::Result<std::unique_ptr<LineReader>> Open(const std::filesystem::path& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line, or nullopt at the end of the file. The line stays valid until the next call.
  base::Result<std::optional<Line>> Next();
  // Bytes of the file (compressed bytes for gzip) consumed so far.
  int64_t file_bytes_read() const;
  // True once Next has reached the end of gzip data that is truncated or corrupt: the lines before
  // the damage were returned (the last one marked Line::cut when it lacked its end).
  bool damaged() const;

 private:
  struct Source;
  explicit LineReader(std::unique_ptr<Source> source);
  base::Status Fill();

  std::unique_ptr<Source> source_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;  // usable bytes; the buffer has SIMDJSON_PADDING more
  size_t begin_ = 0;     // first unconsumed byte
  size_t end_ = 0;       // one past the last valid byte
  bool eof_ = false;
  int64_t line_number_ = 0;
};

// The whole (decompressed) content of a file, padded for simdjson. `damaged` (when given) is set
// when gzip data is truncated or corrupt; the content is then what could be read.
base::Result<simdjson::padded_string> ReadPadded(const std::filesystem::path& path,
                                                 bool* damaged = nullptr);

// SHA-256 of each file of a list, computed on a background thread ahead of the reader, so that a
// file already in the store is recognised before it is parsed. Reads each file in blocks.
class HashAhead {
 public:
  explicit HashAhead(std::vector<std::filesystem::path> files);
  ~HashAhead();
  HashAhead(const HashAhead&) = delete;
  HashAhead& operator=(const HashAhead&) = delete;

  // The lower-case hex SHA-256 of the i-th file, waiting for it if needed.
  base::Result<std::string> Get(size_t i);

 private:
  void Work();

  std::vector<std::filesystem::path> files_;
  std::vector<std::optional<base::Result<std::string>>> hashes_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vigil::ingest::fhir

#endif  // VIGIL_INGEST_FHIR_INPUT_H_
