#pragma once
// The stridefuse program the command-line tests drive (STRIDEFUSE_CLI, its
// path in the build tree, is defined by the test target) and the loopback
// endpoint it publishes on in them.

#include <string>

namespace stridefuse::testing {

inline std::string cli() { return STRIDEFUSE_CLI; }

/// A port the system picks: no other test, run at the same time, can hold it.
inline std::string any_port() { return "tcp://127.0.0.1:0"; }

}  // namespace stridefuse::testing
