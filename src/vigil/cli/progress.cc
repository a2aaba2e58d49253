#include "vigil/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace vigil::cli {

TerminalProgress::TerminalProgress(bool enabled)
    : enabled_(enabled && ::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

TerminalProgress::~TerminalProgress() { Done(); }

double TerminalProgress::Elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool TerminalProgress::Due() const {
  if (!enabled_) return false;
  const auto now = std::chrono::steady_clock::now();
  return now - start_ >= std::chrono::seconds(1) && now - last_ >= std::chrono::milliseconds(100);
}

void TerminalProgress::Update(const std::string& line) {
  if (!Due()) return;
  last_ = std::chrono::steady_clock::now();
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void TerminalProgress::Done() {
  if (shown_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
  }
}

}  // namespace vigil::cli
