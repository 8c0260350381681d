// The pipeline's bytes do not move unless a change means them to:
//  - a recording made by the SDK before its layers were reorganised (0.1, the
//    simulated runner on the host clock, 8 s) still replays through today's
//    drivers, clocks, merge, engine and encoder byte for byte, but for the
//    fields a later change was meant to move (as_meant names them and why);
//  - a live session on the simulated runner in its own time
//    (sim:runner?clock=virtual, run_in_device_time) gives the same bytes on
//    every run, and its recording replays to them.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "record/wire_event_log.hpp"
#include "stridefuse/runtime/device_time_session.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse {
namespace {

namespace fs = std::filesystem;

// The events as messages of the recording's schema minor, without the
// fields a change since was meant to move (both in issue 11):
//  - the foot-strike distance, which takes mid-stance for the instant the
//    centre of mass is over the centre of pressure (fusion/METRICS.md; it
//    moved by about 3 cm on this simulated runner);
//  - a contact's edges and what is timed from them (contact and flight time,
//    cadence, step length, braking time, the angles at IC, the pelvic drop
//    over the stance): IC and TO are timed where the force passes the
//    contact force of METRICS.md, 20 N, not 2 % of the loaded range above
//    the baseline (they moved by tenths of a millisecond here);
//  - the pelvis's orientation once it sets off after a rest (the attitude
//    events and what the step takes from them): the gyroscope alone carries
//    the inclination for the first 2 s (fusion/src/attitude/README.md,
//    "Setting off after a rest"; here by a few millionths of a degree).
// Everything else must stay byte for byte.
std::vector<std::vector<std::uint8_t>> as_meant(const std::vector<WireEvent>& events, std::uint16_t minor) {
  std::vector<std::vector<std::uint8_t>> out;
  for (const auto& e : events) {
    auto d = decode_event(e.message);
    clear_fields_after_minor(d.event, minor);
    if (auto* step = std::get_if<StepEvent>(&d.event)) {
      step->t_ic_s = step->t_to_s = 0.0;
      for (Metric* m : {&step->foot_strike_distance_m, &step->contact_time_s, &step->flight_time_s, &step->cadence_spm,
                        &step->step_length_m, &step->braking_time_s, &step->tilt_ic_deg, &step->obliquity_ic_deg,
                        &step->rotation_ic_deg, &step->pelvic_drop_deg, &step->vertical_oscillation_m})
        *m = Metric{};
    } else if (auto* attitude = std::get_if<AttitudeEvent>(&d.event)) {
      attitude->orientation = {};
      attitude->angles = {};
    }
    out.push_back(encode_event(d.event, d.envelope.athlete, d.envelope.sequence));
  }
  return out;
}

TEST(SameBytes, ARecordingMadeBeforeTheLayersReplaysByteForByte) {
  const auto recording =
      read_session_recording(std::string(STRIDEFUSE_SOURCE_DIR) + "/tests/sdk/data/recorded_by_sdk_0.1_before_layers.sfrec");
  ASSERT_TRUE(recording.ended);
  ASSERT_EQ(recording.devices.size(), 1u);
  EXPECT_EQ(recording.devices[0].source, "simulated-runner");  // how 0.1 named it; rebuilt through the registry
  const auto report = replay_session(recording, reopen_recorded_driver, nullptr, {});
  EXPECT_TRUE(report.complete);
  ASSERT_EQ(report.events.size(), recording.events.size());
  const auto replayed = as_meant(report.events, report.recorded_schema_minor);
  const auto recorded = as_meant(recording.events, report.recorded_schema_minor);
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    ASSERT_EQ(report.events[i].topic, recording.events[i].topic) << "event " << i;
    ASSERT_EQ(replayed[i], recorded[i]) << "event " << i << " differs beyond the fields as_meant names";
  }
}

// Every event of a device-time session on the simulated runner, as encoded for the wire.
std::vector<WireEvent> device_time_session(const std::string& uri, double duration_s,
                                           std::shared_ptr<SessionRecorder> recorder = nullptr) {
  auto collect = std::make_shared<record::WireEventLog>("athlete");
  auto fanout = std::make_shared<EventFanout>();
  fanout->add(collect);
  if (recorder) fanout->add(recorder->event_recorder());
  SessionConfig config;
  DeviceSetOptions set;
  set.recorder = recorder;
  auto devices = open_devices({uri}, set, config);
  const auto report = run_in_device_time(config, std::move(devices), fanout, {duration_s, 1700000000000000000, recorder});
  EXPECT_GT(report.steps, 20u);
  return collect->events();
}

TEST(SameBytes, ALiveSimulatedSessionInItsOwnTimeGivesTheSameBytesEveryRunAndReplaysToThem) {
  const std::string uri = "sim:runner?seed=7&standing_s=2&clock=virtual";
  const auto file = (fs::temp_directory_path() / ("same_bytes_" + std::to_string(::getpid()) + ".sfrec")).string();
  auto recorder = std::make_shared<SessionRecorder>(file);
  const auto first = device_time_session(uri, 20.0, recorder);
  recorder->flush();
  const auto second = device_time_session(uri, 20.0);
  ASSERT_EQ(first.size(), second.size());
  EXPECT_TRUE(first == second);
  const auto report = replay_session(read_session_recording(file), reopen_recorded_driver, nullptr, {});
  fs::remove(file);
  EXPECT_TRUE(report.identical) << "first difference at event " << report.first_difference.value_or(0);
  EXPECT_EQ(report.events, first);
}

TEST(SameBytes, ADeviceOnItsOwnClockIsRefusedByALiveSessionWithTheWayToRunIt) {
  SessionConfig config;
  auto devices = open_devices({"sim:runner?seed=7&clock=virtual"}, {}, config);
  Session session(config, std::make_shared<EventFanout>());
  try {
    session.add_device(std::move(devices[0].transport), std::move(devices[0].driver));
    FAIL() << "a live session took a device on its own clock";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("run_in_device_time"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace stridefuse
