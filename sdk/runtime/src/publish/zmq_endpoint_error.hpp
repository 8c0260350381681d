#pragma once
// Turns a failed zmq bind/connect into the exception our API documents,
// naming the endpoint and what ZeroMQ said.

#include <cerrno>
#include <stdexcept>
#include <string>
#include <zmq.hpp>

namespace stridefuse::publish_detail {

[[noreturn]] inline void throw_endpoint_error(const char* action, const std::string& endpoint, const zmq::error_t& e) {
  const std::string what = std::string("cannot ") + action + " ZeroMQ endpoint '" + endpoint + "': " + e.what();
  switch (e.num()) {
    case EINVAL:
    case EPROTONOSUPPORT:
    case ENOCOMPATPROTO:
      throw std::invalid_argument(what);
    default:
      throw std::runtime_error(what);  // EADDRINUSE, EADDRNOTAVAIL, ENODEV, ...
  }
}

}  // namespace stridefuse::publish_detail
