#include <iostream>

#include "command.hpp"

namespace stridefuse::cli {

int run_version(const std::vector<std::string>& args) {
  if (!parse_command_line("version", "", po::options_description("version options"), args)) return exit_ok;
  std::cout << "stridefuse " << STRIDEFUSE_VERSION << "\n";
  return exit_ok;
}

}  // namespace stridefuse::cli
