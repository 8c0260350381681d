#pragma once
// CURVE keys for an encrypted event stream (ZeroMQ's CurveZMQ). Keys are
// 40-character Z85 strings as zmq_curve_keypair() makes them, e.g.
//   python3 -c 'import zmq; p, s = zmq.curve_keypair(); print(p.decode()); print(s.decode())'
// The publisher holds the server secret key and gives its public key to
// subscribers; each subscriber has its own key pair and gives its public key
// to the publisher's allow-list.
//
// Files: a secret-key file holds one Z85 key; an allow-list file holds one
// public key per line. In both, blank lines and lines starting with '#' are
// ignored and surrounding white space is trimmed.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stridefuse {

struct CurveKeyPair {
  std::string public_key;  ///< Z85, 40 characters
  std::string secret_key;  ///< Z85, 40 characters
};

/// A fresh key pair (zmq_curve_keypair). Throws std::runtime_error when this libzmq lacks CURVE.
CurveKeyPair make_curve_keypair();

/// The public key of a Z85 secret key. Throws std::invalid_argument for a malformed key.
std::string curve_public_key(std::string_view secret_key);

/// Throws std::invalid_argument naming `what` unless `key` is 40 characters of Z85.
void validate_curve_key(std::string_view key, std::string_view what);

/// Reads a secret-key file. Throws std::runtime_error naming the file when it
/// cannot be read, std::invalid_argument when it holds not exactly one valid key.
std::string read_curve_secret_file(const std::filesystem::path& path);

/// Reads an allow-list file of public keys. Throws std::runtime_error naming
/// the file when it cannot be read, std::invalid_argument naming the line of a
/// malformed key or when the file lists no key at all.
std::vector<std::string> read_curve_allow_file(const std::filesystem::path& path);

/// True when libzmq was built with CURVE.
bool curve_available();

}  // namespace stridefuse
