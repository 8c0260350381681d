#include "interrupt.hpp"

#include <atomic>
#include <csignal>

namespace stridefuse::cli {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void on_interrupt(int) { stop_requested = true; }

}  // namespace

void stop_on_interrupt() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

bool interrupted() { return stop_requested.load(); }

}  // namespace stridefuse::cli
