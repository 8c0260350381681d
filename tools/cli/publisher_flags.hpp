#pragma once
// The event publisher's own command-line flags, shared by every command that
// publishes (run, record): --connect and the CURVE pair --curve-secret-file /
// --allow-key-file.

#include "command.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse::cli {

struct PublisherFlags {
  bool connect = false;
  std::string curve_secret_file;
  std::string allow_key_file;
};

/// Adds --connect, --curve-secret-file and --allow-key-file, writing into `flags`.
void add_publisher_flags(po::options_description& description, PublisherFlags& flags);

/// Sets connect and CURVE on `options` (reads the key files; logs the server's
/// public key on stderr). Throws UsageError when only one CURVE flag is given,
/// std::runtime_error / std::invalid_argument naming an unreadable or malformed key file.
void apply_publisher_flags(const PublisherFlags& flags, ZmqPublisherOptions& options);

}  // namespace stridefuse::cli
