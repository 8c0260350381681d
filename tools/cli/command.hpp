#pragma once
// How a subcommand of the stridefuse program is declared and how it parses
// its options. Each subcommand lives in its own <name>_command.cpp.

#include <boost/program_options.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stridefuse::cli {

namespace po = boost::program_options;

/// A wrong flag, a missing argument or a value out of range: exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Exit codes of the program.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  ///< the command could not do its job (bad file, endpoint in use, ...)
inline constexpr int exit_usage = 2;    ///< the command line itself is wrong

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

/// Parses `args` (the words after the subcommand) against `options`, adding
/// --help. Returns nothing when --help was given (the help has been printed);
/// throws UsageError naming the problem for unknown or malformed options.
std::optional<po::variables_map> parse_command_line(const std::string& command, const std::string& usage,
                                                    po::options_description options,
                                                    const std::vector<std::string>& args);

// The subcommands; each is defined in its own file.
// One declaration per subcommand, matching the table in main.cpp.
int run_version(const std::vector<std::string>& args);
int run_simulate(const std::vector<std::string>& args);
int run_run(const std::vector<std::string>& args);
int run_analyze(const std::vector<std::string>& args);
int run_sub(const std::vector<std::string>& args);
int run_devices(const std::vector<std::string>& args);
int run_record(const std::vector<std::string>& args);
int run_replay(const std::vector<std::string>& args);
int run_proxy(const std::vector<std::string>& args);
int run_drill(const std::vector<std::string>& args);

}  // namespace stridefuse::cli
