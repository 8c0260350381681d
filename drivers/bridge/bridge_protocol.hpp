#pragma once
// The open bridge protocol (PROTOCOL.md in this folder): framing and the
// messages between a host and a USB/serial bridge relaying BLE sensors.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stridefuse/core/byte_codec.hpp"
#include "stridefuse/core/device_match.hpp"

namespace stridefuse::bridge {

inline constexpr std::uint8_t sync_0 = 0x53;  // 'S'
inline constexpr std::uint8_t sync_1 = 0x46;  // 'F'
inline constexpr std::size_t max_body_bytes = 1024;
inline constexpr std::size_t frame_overhead_bytes = 8;  // sync 2, length 2, type 1, sequence 1, crc 2
inline constexpr std::uint8_t protocol_major = 1;
inline constexpr std::uint8_t protocol_minor = 1;  // 1.1: SCAN_DONE, out_of_range, idempotent CONNECT (PROTOCOL.md)

enum class MessageType : std::uint8_t {
  hello = 0x01,
  scan = 0x02,
  connect = 0x03,
  disconnect = 0x04,
  subscribe = 0x05,
  write = 0x06,
  ack = 0x80,
  hello_reply = 0x81,
  scan_result = 0x82,
  connected = 0x83,
  disconnected = 0x84,
  notification = 0x85,
  sensor_status = 0x86,
  scan_done = 0x87,  ///< since 1.1
  error = 0x8F,
};

enum class ErrorCode : std::uint8_t {
  unsupported_version = 1,
  unknown_type = 2,
  bad_body = 3,
  unknown_address = 4,
  unknown_handle = 5,
  too_many_connections = 6,
  not_ready = 7,  ///< a request other than HELLO before version negotiation
  gatt_failed = 8,
  out_of_range = 9,  ///< since 1.1: CONNECT to a sensor heard before that does not answer now
};

enum class DisconnectReason : std::uint8_t { host_request = 0, link_lost = 1, remote = 2 };

struct BridgeFrame {
  MessageType type = MessageType::hello;
  std::uint8_t sequence = 0;
  std::vector<std::uint8_t> body;
};

/// Appends one framed message. Throws std::invalid_argument when the body exceeds max_body_bytes.
void append_frame(const BridgeFrame& frame, std::vector<std::uint8_t>& out);

/// The frame check: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor).
using wire::crc16;

/// What the frame decoder has seen. Every frame the peer numbered after the
/// first one received is in exactly one of frames, corrupt_frames and
/// sequence_gaps.
struct FrameCounters {
  std::uint64_t frames = 0;
  std::uint64_t bad_crc = 0;         ///< resynchronisations at a bad CRC (a damaged frame may cause several)
  std::uint64_t bad_length = 0;      ///< resynchronisations at an impossible length
  std::uint64_t bytes_skipped = 0;
  std::uint64_t corrupt_frames = 0;  ///< frames missing from the numbering where damaged bytes were skipped
  std::uint64_t sequence_gaps = 0;   ///< frames the peer numbered that never arrived, damaged or not (the rest)
};

/// Incremental frame decoder: bytes in any pieces, complete valid frames out.
/// A bad CRC or length skips one byte and resynchronises on the next sync word.
/// A damaged frame is counted once: the next good frame's sequence number says
/// how many frames are missing, and as many of them as there were damaged
/// frames since are counted corrupt, the others lost.
class FrameDecoder {
 public:
  template <class F>
  void feed(std::span<const std::uint8_t> bytes, F&& on_frame) {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    BridgeFrame frame;
    while (next(frame)) on_frame(frame);
    compact();
  }
  const FrameCounters& counters() const { return counters_; }
  /// The transport came back, perhaps to a restarted bridge: its numbering
  /// starts again, and a frame cut by the loss is no frame. Counters go on.
  void transport_restarted() {
    buffer_.clear();
    read_ = 0;
    expected_sequence_ = -1;
    damaged_since_frame_ = 0;
  }

 private:
  bool next(BridgeFrame& frame);
  void compact();
  std::vector<std::uint8_t> buffer_;
  std::size_t read_ = 0;
  int expected_sequence_ = -1;
  std::uint64_t damaged_since_frame_ = 0;  // bad CRCs and lengths since the last good frame
  FrameCounters counters_;
};

/// Numbers outgoing frames: each side counts its own frames modulo 256.
class FrameWriter {
 public:
  /// Appends the frame and returns the sequence number it carries.
  std::uint8_t append(MessageType type, const std::vector<std::uint8_t>& body, std::vector<std::uint8_t>& out);

 private:
  std::uint8_t next_ = 0;
};

/// The framing state of one host-bridge link, handed on from whoever speaks
/// first (opening: BridgeClient) to whoever speaks next (the session:
/// BridgeDriver). One writer, because the host numbers every frame it sends
/// on the link +1 (PROTOCOL.md), whichever part of the host sends it; one
/// decoder, because bytes the bridge sent while the link was being opened
/// (garbage before the first frame, a frame's first half) belong to the same
/// stream and its counters.
struct BridgeLink {
  FrameDecoder decoder;
  FrameWriter writer;
};

// Message bodies. encode() gives the body; parse() returns nothing for a body
// that does not fit the message (too short, trailing bytes, bad field).

struct Hello {
  std::uint8_t major = protocol_major;
  std::uint8_t minor = protocol_minor;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Hello> parse(std::span<const std::uint8_t> body);
};

struct HelloReply {
  std::uint8_t request_sequence = 0;
  std::uint8_t major = protocol_major;
  std::uint8_t minor = protocol_minor;
  std::uint32_t tick_rate_hz = 0;  ///< the bridge counter stamped on notifications
  std::uint8_t tick_bits = 32;
  std::uint8_t max_connections = 0;
  std::string firmware;
  std::vector<std::uint8_t> encode() const;
  static std::optional<HelloReply> parse(std::span<const std::uint8_t> body);
};

struct Scan {
  std::uint16_t duration_ms = 0;  ///< 0 stops a scan
  std::vector<std::uint8_t> encode() const;
  static std::optional<Scan> parse(std::span<const std::uint8_t> body);
};

struct ScanResult {
  BleAdvert advert;
  std::vector<std::uint8_t> encode() const;  ///< throws std::invalid_argument for a bad address or long name
  static std::optional<ScanResult> parse(std::span<const std::uint8_t> body);
};

struct Connect {
  std::string address;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Connect> parse(std::span<const std::uint8_t> body);
};

struct Connected {
  std::uint8_t request_sequence = 0;
  std::uint8_t handle = 0;
  std::string address;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Connected> parse(std::span<const std::uint8_t> body);
};

struct Disconnect {
  std::uint8_t handle = 0;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Disconnect> parse(std::span<const std::uint8_t> body);
};

struct Disconnected {
  std::uint8_t handle = 0;
  DisconnectReason reason = DisconnectReason::host_request;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Disconnected> parse(std::span<const std::uint8_t> body);
};

struct Subscribe {
  std::uint8_t handle = 0;
  std::uint16_t characteristic = 0;
  bool enable = true;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Subscribe> parse(std::span<const std::uint8_t> body);
};

struct Write {
  std::uint8_t handle = 0;
  std::uint16_t characteristic = 0;
  std::vector<std::uint8_t> value;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Write> parse(std::span<const std::uint8_t> body);
};

struct Ack {
  std::uint8_t request_sequence = 0;
  MessageType request_type = MessageType::hello;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Ack> parse(std::span<const std::uint8_t> body);
};

struct Notification {
  std::uint8_t handle = 0;
  std::uint16_t characteristic = 0;
  std::uint32_t bridge_tick = 0;
  std::vector<std::uint8_t> value;
  std::vector<std::uint8_t> encode() const;
  /// Parses without copying the value: it points into `body`.
  static bool parse(std::span<const std::uint8_t> body, std::uint8_t& handle, std::uint16_t& characteristic,
                    std::uint32_t& bridge_tick, std::span<const std::uint8_t>& value);
};

/// Since 1.1: the scan started by the SCAN with this sequence has ended.
struct ScanDone {
  std::uint8_t request_sequence = 0;
  std::uint8_t advertisers = 0;  ///< distinct advertisers reported during the scan (255: that many or more)
  std::vector<std::uint8_t> encode() const;
  static std::optional<ScanDone> parse(std::span<const std::uint8_t> body);
};

struct SensorStatus {
  std::uint8_t handle = 0;
  std::int8_t rssi_dbm = 0;
  std::uint8_t battery_pct = 0xFF;  ///< 0..100, 0xFF: not known
  std::vector<std::uint8_t> encode() const;
  static std::optional<SensorStatus> parse(std::span<const std::uint8_t> body);
};

struct Error {
  std::uint8_t request_sequence = 0;
  MessageType request_type = MessageType::hello;
  ErrorCode code = ErrorCode::bad_body;
  std::string message;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Error> parse(std::span<const std::uint8_t> body);
};

/// "AA:BB:CC:DD:EE:FF" <-> the six bytes in that order. Parse returns nothing for a malformed address.
std::optional<std::array<std::uint8_t, 6>> parse_address(const std::string& text);
std::string format_address(std::span<const std::uint8_t, 6> bytes);

/// True for the message types this version defines (1.1: SCAN_DONE included);
/// a bridge answers others with ERROR unknown_type, a host counts and ignores them.
bool is_known_type(std::uint8_t type);

const char* to_string(MessageType type);
const char* to_string(ErrorCode code);

}  // namespace stridefuse::bridge
