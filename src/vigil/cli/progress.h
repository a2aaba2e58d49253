// A one-line progress display on standard error, shown only on a terminal and only for work that
// has taken longer than a second.
#ifndef VIGIL_CLI_PROGRESS_H_
#define VIGIL_CLI_PROGRESS_H_

#include <chrono>
#include <string>

namespace vigil::cli {

// "42 s", "3 min 07 s", "1 h 05 min": the time a progress line has been running.
std::string ElapsedText(double seconds);

// Each line is shown with the time since the work began: "train: fold 2/5, candidate 3/8, round
// 120  [3 min 07 s]".
class TerminalProgress {
 public:
  explicit TerminalProgress(bool enabled);
  ~TerminalProgress();

  // Shows `line` (rate-limited to ten updates a second, silent during the first second).
  void Update(const std::string& line);
  // True when Update would show a line now: callers skip building it otherwise.
  bool Due() const;
  // Clears the line.
  void Done();
  // Seconds since construction.
  double Elapsed() const;

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace vigil::cli

#endif  // VIGIL_CLI_PROGRESS_H_
