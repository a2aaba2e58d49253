// Logging setup. vigil logs through spdlog to standard error. Log lines say where (file, line, run,
// count), never what: no patient identifiers or values (DEVELOPERS.md).
#ifndef VIGIL_BASE_LOGGING_H_
#define VIGIL_BASE_LOGGING_H_

namespace vigil::base {

// verbosity: 0 warnings and errors, 1 info (default), 2 debug.
void InitLogging(int verbosity);

}  // namespace vigil::base

#endif  // VIGIL_BASE_LOGGING_H_
