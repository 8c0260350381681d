#include "command.hpp"

#include <iostream>

namespace stridefuse::cli {

std::optional<po::variables_map> parse_command_line(const std::string& command, const std::string& usage,
                                                    po::options_description options,
                                                    const std::vector<std::string>& args) {
  options.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: stridefuse " << command << " " << usage << "\n\n" << options << "\n";
      return std::nullopt;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

}  // namespace stridefuse::cli
