#include "vigil/cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace vigil::cli {

TerminalProgress::TerminalProgress(bool enabled)
    : enabled_(enabled && ::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

TerminalProgress::~TerminalProgress() { Done(); }

std::string ElapsedText(double seconds) {
  const auto s = static_cast<long long>(seconds);
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

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
  std::fprintf(stderr, "\r\033[K%s  [%s]", line.c_str(), ElapsedText(Elapsed()).c_str());
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
