#pragma once
// Runs a shell command from a test and captures what it printed, so tests
// can drive the stridefuse program (and cmake, python) as a user would.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace stridefuse::testing {

struct ShellResult {
  int exit_code = -1;  ///< -1 when the command did not exit normally (killed by a signal)
  std::string out;     ///< standard output and standard error, interleaved
};

inline ShellResult run_shell(const std::string& command) {
  ShellResult r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (const auto n = std::fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace stridefuse::testing
