#include "vigil/model/linear_algebra.h"

#include <cmath>

namespace vigil::model {

base::Result<std::vector<double>> SolveCholesky(std::vector<double> a, std::vector<double> b,
                                                size_t n) {
  if (a.size() != n * n || b.size() != n) {
    return base::InvalidArgumentError("linear system has mismatched sizes");
  }
  // In place: the lower triangle of `a` becomes L with A = L L^T.
  for (size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return base::FailedPreconditionError("matrix is not positive definite");
    const double l = std::sqrt(d);
    a[j * n + j] = l;
    for (size_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  for (size_t i = 0; i < n; ++i) {  // L y = b
    for (size_t k = 0; k < i; ++k) b[i] -= a[i * n + k] * b[k];
    b[i] /= a[i * n + i];
  }
  for (size_t i = n; i-- > 0;) {  // L^T x = y
    for (size_t k = i + 1; k < n; ++k) b[i] -= a[k * n + i] * b[k];
    b[i] /= a[i * n + i];
  }
  return b;
}

}  // namespace vigil::model
