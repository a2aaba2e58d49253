// An evaluation as markdown, for the model card (MODEL_CARD.md): the figures a reader needs, with
// their intervals, in words; the HTML report (report.h) has the charts and every table.
#ifndef VIGIL_REPORT_MARKDOWN_H_
#define VIGIL_REPORT_MARKDOWN_H_

#include <string>

#include "vigil/evaluate/evaluation.h"

namespace vigil::report {

// Who was evaluated, a table of the overall metrics (discrimination, calibration, the operating
// threshold, the task's challenge scores), the baseline scores on the same rows, and the subgroups
// flagged or too small to judge. Ends with a blank line.
std::string ValidationMarkdown(const evaluate::Evaluation& ev);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_MARKDOWN_H_
