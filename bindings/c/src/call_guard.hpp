#pragma once
// The boundary between the C API and the C++ SDK: every exported call runs
// its body through guarded(), which turns any exception into an sf_error code
// and keeps the exception's message as the thread's last error detail.

#include <string>

#include "stridefuse/stridefuse.h"

namespace stridefuse::c_api {

/// A failure the C layer itself detects, with the code to return.
struct CallError {
  int code;
  std::string message;
};

/// Records `message` as this thread's last error detail and returns `code`.
int fail(int code, const std::string& message) noexcept;

/// Maps the exception being handled to an error code (and records its message).
int fail_from_current_exception() noexcept;

template <class Body>
int guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return fail_from_current_exception();
  }
}

/// Throws CallError(SF_ERROR_NULL_ARGUMENT) naming `what` when `pointer` is null.
template <class T>
void require(const T* pointer, const char* what) {
  if (!pointer) throw CallError{SF_ERROR_NULL_ARGUMENT, std::string(what) + " is NULL"};
}

}  // namespace stridefuse::c_api
