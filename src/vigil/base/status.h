// Status and Result<T>: the one error type of vigil.
//
// Every fallible call returns a Status (no value) or a Result<T> (a value or a Status). Both are
// [[nodiscard]]: dropping an error is a compile error under -Werror. Exceptions never cross a
// module boundary; code that calls a throwing library catches there and returns a Status.
//
// Messages say where, never what: they name files, lines, fields and codes, never patient
// identifiers or values (DEVELOPERS.md, "No patient data in logs or error messages").
//
//   base::Result<Store> s = Store::Open(path);
//   if (!s.ok()) return s.status();
//   VIGIL_ASSIGN_OR_RETURN(auto store, Store::Open(path));
#ifndef VIGIL_BASE_STATUS_H_
#define VIGIL_BASE_STATUS_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vigil::base {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller passed something malformed (a flag, a task file, a record)
  kNotFound,            // a file, subject, model or code that does not exist
  kAlreadyExists,       // creating something that is there already
  kFailedPrecondition,  // the system is not in a state for this (e.g. a store from a newer vigil)
  kOutOfRange,          // a value outside its documented range
  kDataLoss,            // stored data is unreadable or inconsistent
  kIoError,             // the operating system refused a read or write
  kUnimplemented,       // a feature this build does not have
  kInternal,            // a bug in vigil or a library it calls
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status. Costs one pointer; no allocation.
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The message, without the code's name. Empty for OK.
  const std::string& message() const;
  // "InvalidArgument: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is prefixed by `context` and ": ". OK stays OK.
  Status WithContext(std::string_view context) const;

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<Rep> rep_;
};

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status FailedPreconditionError(std::string message);
Status OutOfRangeError(std::string message);
Status DataLossError(std::string message);
Status IoError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);

// A value of type T, or a non-OK Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(data_).ok()) {
      data_ = Status(StatusCode::kInternal, "Result constructed from an OK status");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

  // Precondition: ok(). Checked: calling these on an error is a programmer error.
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace vigil::base

#define VIGIL_STATUS_CONCAT_INNER_(a, b) a##b
#define VIGIL_STATUS_CONCAT_(a, b) VIGIL_STATUS_CONCAT_INNER_(a, b)

// Returns from the calling function if `expr` (a Status) is not OK.
#define VIGIL_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::vigil::base::Status vigil_status_ = (expr);  \
    if (!vigil_status_.ok()) return vigil_status_; \
  } while (false)

// `lhs = value of expr` (a Result<T>), or returns its Status from the calling function.
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr) \
  VIGIL_ASSIGN_OR_RETURN_IMPL_(VIGIL_STATUS_CONCAT_(vigil_result_, __LINE__), lhs, expr)
#define VIGIL_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                                 \
  if (!result.ok()) return result.status();             \
  lhs = std::move(result).value()

#endif  // VIGIL_BASE_STATUS_H_
