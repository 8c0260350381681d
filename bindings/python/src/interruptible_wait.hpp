#pragma once
// Waiting from Python without holding the GIL: in short slices, so that
// Ctrl-C (KeyboardInterrupt) and other threads' Python code get through.

#include <pybind11/pybind11.h>

#include <chrono>
#include <thread>

namespace stridefuse::python {

/// Called with the GIL held. Sleeps without the GIL, `slice` at a time,
/// until `done()` (evaluated with the GIL held) or `timeout_s` passed
/// (negative: no limit). Returns done()'s last answer. Throws
/// pybind11::error_already_set when a signal handler raised (KeyboardInterrupt).
template <class Done>
bool wait_without_gil(double timeout_s, Done done,
                      std::chrono::microseconds slice = std::chrono::milliseconds(2)) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    if (done()) return true;
    if (timeout_s >= 0.0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= timeout_s)
      return false;
    {
      pybind11::gil_scoped_release release;
      std::this_thread::sleep_for(slice);
    }
    if (PyErr_CheckSignals() != 0) throw pybind11::error_already_set();
  }
}

}  // namespace stridefuse::python
