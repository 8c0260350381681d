#pragma once
// Shared set-up of the C API tests: short simulated sessions and a handle
// that is destroyed whatever the test does.

#include <memory>

#include <stridefuse/stridefuse.h>

namespace stridefuse::testing {

struct SessionDestroyer {
  void operator()(sf_session* s) const { sf_session_destroy(s); }
};
using SessionPtr = std::unique_ptr<sf_session, SessionDestroyer>;

/// The simulated runner with a short standing period, so steps come within a second or two.
inline sf_session_options short_simulated_run(const char* athlete, double duration_s) {
  sf_session_options o;
  sf_session_options_init(&o);
  o.athlete = athlete;
  o.runner.standing_s = 0.5;
  o.duration_s = duration_s;
  return o;
}

}  // namespace stridefuse::testing
