#include "stridefuse/runtime/curve_keys.hpp"

#include <zmq.h>

#include <array>
#include <fstream>
#include <stdexcept>

namespace stridefuse {

namespace {

constexpr std::size_t z85_key_chars = 40;

// The Z85 alphabet (ZeroMQ RFC 32).
bool is_z85(char c) {
  static constexpr std::string_view alphabet =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  return alphabet.find(c) != std::string_view::npos;
}

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

/// Key lines of a key file: (line number, text), comments and blanks skipped.
std::vector<std::pair<int, std::string>> key_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read CURVE key file '" + path.string() + "'");
  std::vector<std::pair<int, std::string>> out;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const auto text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    out.emplace_back(number, std::string(text));
  }
  if (in.bad()) throw std::runtime_error("error reading CURVE key file '" + path.string() + "'");
  return out;
}

}  // namespace

bool curve_available() { return zmq_has("curve") != 0; }

void validate_curve_key(std::string_view key, std::string_view what) {
  bool ok = key.size() == z85_key_chars;
  for (const char c : key) ok = ok && is_z85(c);
  if (!ok)
    throw std::invalid_argument(std::string(what) + " is not a CURVE key: expected " + std::to_string(z85_key_chars) +
                                " Z85 characters, got '" + std::string(key) + "'");
}

CurveKeyPair make_curve_keypair() {
  std::array<char, z85_key_chars + 1> pub{}, sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0)
    throw std::runtime_error(std::string("cannot make a CURVE key pair: ") + zmq_strerror(zmq_errno()));
  return {pub.data(), sec.data()};
}

std::string curve_public_key(std::string_view secret_key) {
  validate_curve_key(secret_key, "secret key");
  const std::string secret(secret_key);
  std::array<char, z85_key_chars + 1> pub{};
  if (zmq_curve_public(pub.data(), secret.c_str()) != 0)
    throw std::invalid_argument(std::string("cannot derive a CURVE public key: ") + zmq_strerror(zmq_errno()));
  return pub.data();
}

std::string read_curve_secret_file(const std::filesystem::path& path) {
  const auto lines = key_lines(path);
  if (lines.size() != 1)
    throw std::invalid_argument("CURVE secret-key file '" + path.string() + "' must hold exactly one key, not " +
                                std::to_string(lines.size()));
  validate_curve_key(lines.front().second, "line " + std::to_string(lines.front().first) + " of '" + path.string() + "'");
  return lines.front().second;
}

std::vector<std::string> read_curve_allow_file(const std::filesystem::path& path) {
  std::vector<std::string> keys;
  for (const auto& [number, text] : key_lines(path)) {
    validate_curve_key(text, "line " + std::to_string(number) + " of '" + path.string() + "'");
    keys.push_back(text);
  }
  if (keys.empty()) throw std::invalid_argument("CURVE allow-list file '" + path.string() + "' lists no key");
  return keys;
}

}  // namespace stridefuse
