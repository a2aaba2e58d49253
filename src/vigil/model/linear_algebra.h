// The one dense solve the model module needs (Newton steps of logistic regression and Platt
// scaling): no listed dependency offers linear algebra, and the systems are small (a few hundred
// unknowns at most).
#ifndef VIGIL_MODEL_LINEAR_ALGEBRA_H_
#define VIGIL_MODEL_LINEAR_ALGEBRA_H_

#include <cstddef>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::model {

// Solves A x = b for a symmetric positive definite n x n matrix A (row-major, both triangles
// filled) by Cholesky factorization. FailedPrecondition when A is not positive definite.
base::Result<std::vector<double>> SolveCholesky(std::vector<double> a, std::vector<double> b,
                                                size_t n);

}  // namespace vigil::model

#endif  // VIGIL_MODEL_LINEAR_ALGEBRA_H_
