// The ceiling for FHIR ingestion speed: simdjson's raw parse of the same files, with no mapping
// and no store. Parses every document fully (DOM: stage 1 + stage 2) from files already in memory.
//   bench_fhir_parse PATH...   prints: bytes, documents, seconds, MB/s
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (fs::is_directory(argv[i])) {
      for (const auto& e : fs::recursive_directory_iterator(argv[i])) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
    } else {
      files.emplace_back(argv[i]);
    }
  }
  std::vector<simdjson::padded_string> contents;
  size_t bytes = 0;
  for (const auto& f : files) {
    auto loaded = simdjson::padded_string::load(f.string());
    if (loaded.error()) {
      std::fprintf(stderr, "cannot read %s\n", f.c_str());
      return 1;
    }
    bytes += loaded.value_unsafe().size();
    contents.push_back(std::move(loaded).value_unsafe());
  }
  simdjson::dom::parser parser;
  size_t documents = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].extension() == ".ndjson") {
      simdjson::dom::document_stream stream;
      if (parser.parse_many(contents[i]).get(stream)) return 1;
      for (auto doc : stream) {
        if (doc.error()) return 1;
        ++documents;
      }
    } else {
      simdjson::dom::element doc;
      if (parser.parse(contents[i]).get(doc)) return 1;
      ++documents;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("bytes %zu documents %zu seconds %.4f mb_per_s %.1f\n", bytes, documents, seconds,
              static_cast<double>(bytes) / 1e6 / seconds);
  return 0;
}
