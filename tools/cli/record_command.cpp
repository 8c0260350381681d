// `stridefuse record`: a live session, as `run` runs it, recorded to a file
// that `stridefuse replay` plays back bit for bit.

#include <iostream>

#include "command.hpp"
#include "session_options.hpp"

namespace stridefuse::cli {

int run_record(const std::vector<std::string>& args) {
  po::options_description options("record options");
  SessionOptions o;
  std::string output;
  add_session_options(options, o);
  options.add_options()("output,o", po::value(&output), "recording file to write (required)");
  const auto vm = parse_command_line(
      "record", "(--simulate | --device URI...) --output FILE [--duration SECONDS] [--endpoint URL]", options, args);
  if (!vm) return exit_ok;
  check_session_options(*vm, o);
  if (output.empty()) throw UsageError("--output FILE is required");

  auto publishers = make_live_publishers(o);
  auto& fanout = publishers.fanout;
  auto recorder = std::make_shared<SessionRecorder>(output);
  auto opened = open_session_devices(o, "record", recorder);
  fanout->add(recorder->event_recorder());
  Session session(opened.config, fanout);
  session.record_to(recorder);
  for (auto& d : opened.devices) session.add_device(std::move(d.transport), std::move(d.driver));
  std::cerr << "stridefuse record: " << opened.what << ", publishing on " << o.endpoint << " as '" << o.athlete
            << "', recording to " << output << "\n";
  run_live_session(session, *publishers.zmq, o, "record");
  finish_recording(*recorder, "record", output);
  return exit_ok;
}

}  // namespace stridefuse::cli
