#include "call_guard.hpp"

#include <filesystem>
#include <new>
#include <stdexcept>

namespace stridefuse::c_api {
namespace {

// Per thread, as errno: concurrent sessions on other threads cannot overwrite it.
thread_local std::string last_error;

}  // namespace

int fail(int code, const std::string& message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    last_error.clear();  // no memory for the text: the code still says what happened
  }
  return code;
}

int fail_from_current_exception() noexcept {
  try {
    throw;
  } catch (const CallError& e) {
    return fail(e.code, e.message);
  } catch (const std::bad_alloc&) {
    return fail(SF_ERROR_NO_MEMORY, "out of memory");
  } catch (const std::invalid_argument& e) {
    return fail(SF_ERROR_INVALID_ARGUMENT, e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    return fail(SF_ERROR_IO, e.what());
  } catch (const std::logic_error& e) {
    // The SDK throws logic_error for calls in the wrong state (e.g. Session::start twice).
    return fail(SF_ERROR_STATE, e.what());
  } catch (const std::runtime_error& e) {
    // TransportError, RecordingFileError, a socket that cannot be bound: the outside world failed.
    return fail(SF_ERROR_IO, e.what());
  } catch (const std::exception& e) {
    return fail(SF_ERROR_INTERNAL, e.what());
  } catch (...) {
    return fail(SF_ERROR_INTERNAL, "unknown exception inside the stridefuse SDK");
  }
}

}  // namespace stridefuse::c_api

using stridefuse::c_api::last_error;

extern "C" {

const char* sf_strerror(int code) {
  switch (code) {
    case SF_OK: return "SF_OK: success";
    case SF_ERROR_NULL_ARGUMENT: return "SF_ERROR_NULL_ARGUMENT: a required pointer argument was NULL";
    case SF_ERROR_INVALID_ARGUMENT: return "SF_ERROR_INVALID_ARGUMENT: invalid argument";
    case SF_ERROR_STATE: return "SF_ERROR_STATE: not allowed in the current state";
    case SF_ERROR_IO: return "SF_ERROR_IO: a device, socket or file failed";
    case SF_ERROR_NOT_FOUND: return "SF_ERROR_NOT_FOUND: not found";
    case SF_ERROR_AGAIN: return "SF_ERROR_AGAIN: nothing available yet, try again";
    case SF_ERROR_TIMEOUT: return "SF_ERROR_TIMEOUT: timed out";
    case SF_ERROR_NO_MEMORY: return "SF_ERROR_NO_MEMORY: out of memory";
    case SF_ERROR_INTERNAL: return "SF_ERROR_INTERNAL: unexpected failure inside the SDK";
    default: return "unknown error code";
  }
}

const char* sf_last_error_message(void) { return last_error.c_str(); }

}  // extern "C"
