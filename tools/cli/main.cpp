// The stridefuse program: dispatches to one subcommand per row of README.md, "The command line".

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"

namespace {

using stridefuse::cli::Command;

// One line per subcommand, in the order `stridefuse --help` lists them.
const std::vector<Command> commands{
    Command{"devices", "list attached devices and bridges, and the sensors each bridge hears",
            stridefuse::cli::run_devices},
    Command{"run", "connect, fuse and publish a live session (--simulate: the built-in runner)",
            stridefuse::cli::run_run},
    Command{"record", "run a live session as 'run' does and record it to a file", stridefuse::cli::run_record},
    Command{"replay", "replay a recording bit for bit and compare with the recorded events", stridefuse::cli::run_replay},
    Command{"simulate", "write synthetic recordings with their ground truth", stridefuse::cli::run_simulate},
    Command{"drill", "count drill reps and check that the pelvis stays still (live, or over files)",
            stridefuse::cli::run_drill},
    Command{"analyze", "analyse recorded CSV files offline (sdk/runtime/src/offline/FILES.md)", stridefuse::cli::run_analyze},
    Command{"version", "print the version of stridefuse", stridefuse::cli::run_version},
    Command{"sub", "subscribe to published events and print them as JSON lines", stridefuse::cli::run_sub},
    Command{"proxy", "forward events from many publishers (XSUB) to one endpoint (XPUB)", stridefuse::cli::run_proxy},
};

void print_usage(std::ostream& out) {
  out << "usage: stridefuse <command> [options]\n\ncommands:\n";
  for (const auto& c : commands) out << "  " << c.name << std::string(12 - std::string(c.name).size(), ' ') << c.summary << "\n";
  out << "\n'stridefuse <command> --help' describes a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stridefuse::cli;
  if (argc < 2) {
    print_usage(std::cerr);
    return exit_usage;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return exit_ok;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : commands) {
    if (name != c.name) continue;
    try {
      return c.run(args);
    } catch (const UsageError& e) {
      std::cerr << "stridefuse " << name << ": " << e.what() << "\nTry 'stridefuse " << name << " --help'.\n";
      return exit_usage;
    } catch (const std::exception& e) {
      std::cerr << "stridefuse " << name << ": error: " << e.what() << "\n";
      return exit_failure;
    }
  }
  std::cerr << "stridefuse: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return exit_usage;
}
