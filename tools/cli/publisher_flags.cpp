#include "publisher_flags.hpp"

#include <iostream>

#include "stridefuse/runtime/curve_keys.hpp"

namespace stridefuse::cli {

void add_publisher_flags(po::options_description& description, PublisherFlags& flags) {
  description.add_options()
      ("connect", po::bool_switch(&flags.connect),
       "connect to --endpoint (a `stridefuse proxy --xsub` endpoint) instead of binding it")
      ("curve-secret-file", po::value(&flags.curve_secret_file),
       "CURVE: encrypt with the publisher's secret key in FILE (Z85); needs --allow-key-file")
      ("allow-key-file", po::value(&flags.allow_key_file),
       "CURVE: FILE of subscriber public keys (Z85, one a line) let in; others are refused and logged");
}

void apply_publisher_flags(const PublisherFlags& flags, ZmqPublisherOptions& options) {
  options.connect = flags.connect;
  if (flags.curve_secret_file.empty() != flags.allow_key_file.empty())
    throw UsageError("CURVE needs both --curve-secret-file and --allow-key-file");
  if (flags.curve_secret_file.empty()) return;
  options.curve = CurveServerOptions{read_curve_secret_file(flags.curve_secret_file),
                                     read_curve_allow_file(flags.allow_key_file)};
  std::cerr << "stridefuse: CURVE on, " << options.curve->allowed_keys.size()
            << " subscriber key(s) allowed; subscribers need the server key " << curve_public_key(options.curve->secret_key)
            << "\n";
}

}  // namespace stridefuse::cli
