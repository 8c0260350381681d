#pragma once
// A report page in a real browser: headless Chromium (the Debian package,
// which tools/setup/install-deps.sh installs) loads a local page with every
// network request made to fail, and its console and load errors are read
// from its log. Used by the running report's and the drill report's tests.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/shell_command.hpp"

namespace stridefuse::testing {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs headless Chromium on `page` with `action` (--dump-dom or
/// --screenshot=FILE), a profile of its own in `profile`; its standard
/// output goes to `out`, its log to `log`. Returns its exit code.
inline int run_headless_chromium(const std::filesystem::path& page, const std::string& action,
                                 const std::filesystem::path& profile, const std::filesystem::path& out,
                                 const std::filesystem::path& log) {
  const std::string command =
      "timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions"
      " --user-data-dir=" + profile.string() +
      // Every request leaves for nowhere: the page must need none.
      " --proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND'"
      " --enable-logging=stderr --v=0 --window-size=412,2400 " + action + " file://" + page.string() + " >" +
      out.string() + " 2>" + log.string();
  return run_shell(command).exit_code;
}

/// Console messages, uncaught errors and failed loads in Chromium's log.
inline std::string page_problems(const std::string& log) {
  std::string problems;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos ||
        line.find("net::ERR") != std::string::npos || line.find("Failed to load") != std::string::npos)
      problems += line + "\n";
  return problems;
}

}  // namespace stridefuse::testing
