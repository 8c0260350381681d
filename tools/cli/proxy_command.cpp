// `stridefuse proxy`: one place to subscribe for many fusion nodes. Runs the
// XSUB/XPUB forwarder until SIGINT or SIGTERM.

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <exception>
#include <iostream>
#include <thread>

#include "command.hpp"
#include "stridefuse/runtime/zmq_event_proxy.hpp"

namespace stridefuse::cli {

int run_proxy(const std::vector<std::string>& args) {
  std::string xsub, xpub;
  po::options_description options("proxy options");
  options.add_options()
      ("xsub", po::value(&xsub)->required(),
       "endpoint publishers connect to (stridefuse run --connect --endpoint URL), e.g. tcp://0.0.0.0:5555")
      ("xpub", po::value(&xpub)->required(), "endpoint subscribers connect to, e.g. tcp://0.0.0.0:5556");
  if (!parse_command_line("proxy", "--xsub URL --xpub URL", options, args)) return exit_ok;

  // The signals are taken by sigwait below, in this thread only: block them
  // before any other thread (ZeroMQ's, the forwarder's) exists, so they inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ZmqEventProxy proxy(xsub, xpub);
  std::cerr << "stridefuse proxy: publishers connect to " << proxy.xsub_endpoint() << ", subscribers to "
            << proxy.xpub_endpoint() << std::endl;
  std::atomic<bool> finished{false};
  std::exception_ptr failure;
  std::thread forwarder([&] {
    try {
      proxy.run();
    } catch (...) {
      failure = std::current_exception();
    }
    finished = true;
  });
  int signal_number = 0;
  const timespec poll{0, 100'000'000};
  while (!finished.load()) {
    signal_number = sigtimedwait(&stop_signals, nullptr, &poll);
    if (signal_number > 0) break;
  }
  proxy.stop();
  forwarder.join();
  if (failure) std::rethrow_exception(failure);
  std::cerr << "stridefuse proxy: stopped" << (signal_number > 0 ? std::string(" on ") + strsignal(signal_number) : "")
            << std::endl;
  return exit_ok;
}

}  // namespace stridefuse::cli
