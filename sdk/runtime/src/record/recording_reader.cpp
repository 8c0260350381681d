// Reading a recording file back: frames, then their Cap'n Proto payloads.

#include <capnp/serialize.h>
#include <kj/exception.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "record/recorded_frames.hpp"
#include "record/recording_frames.hpp"
#include "stridefuse/schema/recording.capnp.h"

namespace stridefuse {
namespace {

namespace rs = schema::recording;
using record::FrameType;
using Frames = SessionRecording::Frames;

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open recording " + path);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error("cannot read recording " + path);
  return bytes;
}

class FrameDecoder {
 public:
  FrameDecoder(SessionRecording& out, Frames& frames) : out_(out), frames_(frames) {}

  void decode(const record::RawFrame& frame) {
    // Payloads sit at any byte offset; Cap'n Proto reads whole words.
    words_ = kj::heapArray<capnp::word>((frame.payload.size() + sizeof(capnp::word) - 1) / sizeof(capnp::word));
    std::copy(frame.payload.begin(), frame.payload.end(), words_.asBytes().begin());
    capnp::FlatArrayMessageReader reader(words_);
    offset_ = frame.offset;
    switch (frame.type) {
      case FrameType::device_setup: device(reader.getRoot<rs::DeviceSetup>()); break;
      case FrameType::transport_read: transport_read(reader.getRoot<rs::TransportRead>()); break;
      case FrameType::session_setup: session(reader.getRoot<rs::SessionSetup>()); break;
      case FrameType::session_start: frames_.host_start_unix_ns = reader.getRoot<rs::SessionStart>().getHostStartUnixNs(); break;
      case FrameType::fusion_turn: turn(reader.getRoot<rs::FusionTurn>()); break;
      case FrameType::session_end: end(reader.getRoot<rs::SessionEnd>()); break;
      case FrameType::published_event: event(reader.getRoot<rs::PublishedEvent>()); break;
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(out_.path + ": frame at byte " + std::to_string(offset_) + ": " + what);
  }

 private:
  void device(rs::DeviceSetup::Reader d) {
    if (d.getIndex() != out_.devices.size())
      fail("device " + std::to_string(d.getIndex()) + " where device " + std::to_string(out_.devices.size()) +
           " was due");
    RecordedDevice device;
    device.source = d.getSource();
    device.driver = d.getDriver();
    for (const auto p : d.getParams()) device.params[p.getKey()] = p.getValue();
    device.reconnects = d.getReconnects();
    device.describe = d.getDescribe();
    device.min_delay_s = d.getMinDelayS();
    // Transport::min_delay_s's contract; a reader would refuse it later with a less helpful message.
    if (!(device.min_delay_s >= 0.0 && device.min_delay_s <= 10.0))
      fail("device minimum delay " + std::to_string(device.min_delay_s) + " s outside [0, 10]");
    out_.devices.push_back(std::move(device));
    frames_.reads.emplace_back();
  }

  void transport_read(rs::TransportRead::Reader r) {
    if (r.getDevice() >= out_.devices.size()) fail("traffic of device " + std::to_string(r.getDevice()) + ", which was never set up");
    Frames::Read read;
    read.arrival_s = r.getArrivalS();
    switch (r.getOutcome()) {
      case rs::TransportRead::Outcome::BYTES: {
        read.outcome = Frames::Read::Outcome::bytes;
        const auto b = r.getBytes();
        if (b.size() == 0) fail("a read of zero bytes recorded as data");
        read.bytes.assign(b.begin(), b.end());
        break;
      }
      case rs::TransportRead::Outcome::TIMEOUT: read.outcome = Frames::Read::Outcome::timeout; break;
      case rs::TransportRead::Outcome::ERROR:
        read.outcome = Frames::Read::Outcome::error;
        read.error = r.getError();
        break;
      default: fail("unknown read outcome " + std::to_string(static_cast<int>(r.getOutcome())));
    }
    frames_.reads[r.getDevice()].push_back(std::move(read));
  }

  void session(rs::SessionSetup::Reader s) {
    if (out_.config) fail("a second session configuration");
    SessionConfig c;
    c.athlete = s.getAthlete();
    c.merge_max_wait_s = s.getMergeMaxWaitS();
    c.status_interval_s = s.getStatusIntervalS();
    c.queue_capacity = s.getQueueCapacity();
    if (c.queue_capacity == 0 || c.queue_capacity > (1u << 24)) fail("queue capacity out of range");
    if (s.getHasTreadmillSpeed()) c.engine.treadmill_speed_mps = s.getTreadmillSpeedMps();
    if (s.getHasBodyMass()) c.engine.body_mass_kg = s.getBodyMassKg();
    c.engine.alerts.pelvic_drop_deg = s.getAlertPelvicDropDeg();
    c.engine.alerts.foot_strike_distance_m = s.getAlertFootStrikeDistanceM();
    c.engine.alerts.tilt_deg = s.getAlertTiltDeg();
    c.engine.attitude_event_rate_hz = s.getAttitudeEventRateHz();
    c.engine.alert_baseline_steps = s.getAlertBaselineSteps();
    c.engine.alert_window_steps = s.getAlertWindowSteps();
    c.engine.findings = s.getFindings();
    if (s.getHasDrill()) {
      if (s.getDrillExercise() > static_cast<unsigned>(last_drill_exercise))
        fail("drill exercise " + std::to_string(s.getDrillExercise()) + " unknown to this build");
      if (s.getDrillSide() > static_cast<unsigned>(DrillSide::both))
        fail("drill side " + std::to_string(s.getDrillSide()) + " out of range");
      DrillConfig drill;
      drill.exercise = static_cast<DrillExercise>(s.getDrillExercise());
      drill.side = static_cast<DrillSide>(s.getDrillSide());
      if (s.getHasDrillTolerance()) drill.tolerance_deg = s.getDrillToleranceDeg();
      drill.calibration_hinge = s.getDrillCalibrationHinge();
      c.engine.drill = drill;
    }
    out_.config = std::move(c);
  }

  std::vector<std::uint64_t> steps(capnp::List<std::uint64_t>::Reader list) {
    if (list.size() != out_.devices.size())
      fail("reader steps for " + std::to_string(list.size()) + " devices, recording has " +
           std::to_string(out_.devices.size()));
    std::vector<std::uint64_t> out;
    for (const auto v : list) out.push_back(v);
    return out;
  }

  void turn(rs::FusionTurn::Reader t) {
    if (!frames_.host_start_unix_ns || frames_.end) fail("a fusion turn outside the session");
    Frames::Turn turn;
    turn.now_s = t.getNowS();
    const auto popped = t.getPopped();
    if (popped.size() != out_.devices.size()) fail("popped counts for " + std::to_string(popped.size()) + " devices");
    for (const auto n : popped) turn.popped.push_back(n);
    if (t.getStatus()) turn.reader_steps = steps(t.getReaderSteps());
    frames_.turns.push_back(std::move(turn));
  }

  void end(rs::SessionEnd::Reader e) {
    if (!frames_.host_start_unix_ns || frames_.end) fail("a session end outside the session");
    frames_.end = Frames::End{e.getEndS(), steps(e.getReaderSteps())};
  }

  void event(rs::PublishedEvent::Reader e) {
    const auto message = e.getMessage();
    out_.events.push_back({e.getTopic(), {message.begin(), message.end()}});
  }

  SessionRecording& out_;
  Frames& frames_;
  kj::Array<capnp::word> words_;
  std::uint64_t offset_ = 0;
};

}  // namespace

SessionRecording read_session_recording(const std::string& path) {
  const auto bytes = read_file(path);
  const auto scanned = record::scan_frames(bytes, path);
  SessionRecording out;
  out.path = path;
  out.file_bytes = bytes.size();
  out.cut_at_byte = scanned.cut_at;
  auto frames = std::make_shared<Frames>();
  FrameDecoder decoder(out, *frames);
  for (const auto& frame : scanned.frames) {
    try {
      decoder.decode(frame);
    } catch (const kj::Exception& e) {
      throw std::runtime_error(path + ": frame at byte " + std::to_string(frame.offset) +
                               " is not a valid message: " + e.getDescription().cStr());
    }
  }
  if (out.config && out.config->athlete.empty())
    throw std::runtime_error(path + ": the session configuration has no athlete");
  // The session's last event is its SessionEndEvent, written after everything else.
  out.ended = frames->end && !out.events.empty() && out.events.back().topic.ends_with("/session_end");
  out.frames = std::move(frames);
  return out;
}

}  // namespace stridefuse
