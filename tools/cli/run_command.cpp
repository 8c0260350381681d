#include <iostream>

#include "command.hpp"
#include "session_options.hpp"

namespace stridefuse::cli {

int run_run(const std::vector<std::string>& args) {
  po::options_description options("run options");
  SessionOptions o;
  add_session_options(options, o);
  const auto vm = parse_command_line("run", "(--simulate | --device URI...) [--duration SECONDS] [--endpoint URL]",
                                     options, args);
  if (!vm) return exit_ok;
  check_session_options(*vm, o);

  auto publishers = make_live_publishers(o);
  auto& fanout = publishers.fanout;
  auto opened = open_session_devices(o, "run");
  Session session(opened.config, fanout);
  for (auto& d : opened.devices) session.add_device(std::move(d.transport), std::move(d.driver));
  std::cerr << "stridefuse run: " << opened.what << ", publishing on " << o.endpoint << " as '" << o.athlete << "'\n";
  run_live_session(session, *publishers.zmq, o, "run");
  return exit_ok;
}

}  // namespace stridefuse::cli
