// The JSON rendering: stable names (steps.csv columns), null plus reason for
// absent metrics, exact doubles, escaped strings.

#include <gtest/gtest.h>

#include <limits>

#include "event_samples.hpp"
#include "stridefuse/core/step_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {
namespace {

TEST(EventJson, StepUsesStepsCsvColumnsAndListsAbsentReasons) {
  EXPECT_EQ(event_to_json(test::sample_step()),
            R"({"kind":"step","t_s":12.3456789012345,"side":"right","index":4242,"t_ic_s":12.3456789012345,)"
            R"("t_to_s":12.5678,"contact_time_s":0.2221,"flight_time_s":null,"cadence_spm":178.25,)"
            R"("strike_index_pct":21.5,"strike_pattern":"rearfoot","foot_strike_distance_m":-0.031,)"
            R"("braking_time_s":null,"step_length_m":null,"tilt_ic_deg":11.75,"obliquity_ic_deg":-2.5,)"
            R"("rotation_ic_deg":null,"pelvic_drop_deg":6.125,"vertical_oscillation_m":null,)"
            R"("gait_mode":"walking","detected_by":"pelvis","foot_strike_distance_uncertainty_m":0.0125,)"
            R"("absent":{"flight_time_s":"no_previous_step","braking_time_s":"no_pelvis_sensor",)"
            R"("step_length_m":"no_speed_source","rotation_ic_deg":"not_calibrated",)"
            R"("vertical_oscillation_m":"degraded_input"}})");
}

TEST(EventJson, EveryKindHasItsFields) {
  EXPECT_EQ(event_to_json(test::sample_attitude()),
            R"({"kind":"attitude","t_s":3.0625,"qw":0.9238795325112867,"qx":0,"qy":0.3826834323650898,"qz":0,)"
            R"("tilt_deg":14.5,"obliquity_deg":-3.25,"rotation_deg":7.875,"calibration":"first_strides"})");
  EXPECT_EQ(event_to_json(test::sample_form_alert()),
            R"({"kind":"form_alert","t_s":601.5,"metric":"pelvic_drop_deg","baseline":5.5,"current":8.25,)"
            R"("threshold":2})");
  EXPECT_EQ(event_to_json(test::sample_device_status()),
            R"({"kind":"device_status","t_s":99.875,"stream_id":"left_insole","state":"degraded",)"
            R"("frames":123456789012,"frames_dropped":17,"late_samples":3,"clock_error_bound_s":0.00125,)"
            R"("message":"crc errors: 17 \"bad\" packets\n","clock":{"resets":1,"wraps":70000000000,)"
            R"("out_of_order":2,"duplicates":3,"rejected_ticks":5,"stray_ticks":6,"host_time_backwards":4,)"
            R"("absurd_rates":8,"drift_ppm":-12.5,"latency_correction_s":0.0185,"latency_residual_s":0.00075,)"
            R"("absent":{}},"metrics":{"strike_index_pct":{"left":"none","right":"no_insole"},)"
            R"("foot_strike_distance_m":{"left":"no_insole_geometry","right":"not_for_walking"}}})");
  auto unchanged = test::sample_device_status();
  unchanged.metrics.clear();  // the metric support changed with no status: no "metrics" key
  EXPECT_EQ(event_to_json(unchanged).find("metrics"), std::string::npos);
  auto uncalibrated = test::sample_device_status();
  uncalibrated.clock->latency_correction_s = Metric::absent(AbsentReason::not_calibrated);
  uncalibrated.clock->latency_residual_s = Metric::absent(AbsentReason::not_calibrated);
  const auto json = event_to_json(uncalibrated);
  EXPECT_NE(json.find(R"("latency_correction_s":null,"latency_residual_s":null,"absent":{)"
                      R"("latency_correction_s":"not_calibrated","latency_residual_s":"not_calibrated"}})"),
            std::string::npos)
      << json;
  EXPECT_EQ(event_to_json(test::sample_session_start()),
            R"({"kind":"session_start","t_s":0,"athlete":"runner-7","host_start_unix_ns":1763800000123456789,)"
            R"("metrics":{"contact_time_s":{"left":"none","right":"none"},)"
            R"("attitude":{"left":"no_pelvis_sensor","right":"no_pelvis_sensor"}}})");
  EXPECT_EQ(event_to_json(test::sample_session_end()), R"({"kind":"session_end","t_s":1800.25,"steps":5321})");
}

TEST(EventJson, EnvelopeComesFirstWhenDecoded) {
  const auto decoded = decode_event(encode_event(test::sample_session_end(), "runner-7", 41));
  EXPECT_EQ(event_to_json(decoded),
            R"({"kind":"session_end","t_s":1800.25,"schema":"1.7","athlete":"runner-7","sequence":41,"steps":5321,)"
            R"("provenance":null})");
}

// Strict JSON readers reject a key twice: the session start's own athlete
// sits beside the envelope's under its own name.
TEST(EventJson, ASessionStartWithItsEnvelopeHasEveryKeyOnce) {
  const auto decoded = decode_event(encode_event(test::sample_session_start(), "runner-7", 0));
  EXPECT_EQ(event_to_json(decoded),
            R"({"kind":"session_start","t_s":0,"schema":"1.7","athlete":"runner-7","sequence":0,)"
            R"("session_athlete":"runner-7","host_start_unix_ns":1763800000123456789,)"
            R"("metrics":{"contact_time_s":{"left":"none","right":"none"},)"
            R"("attitude":{"left":"no_pelvis_sensor","right":"no_pelvis_sensor"}},"provenance":null})");
}

TEST(EventJson, ProvenanceComesLastWithItsStreams) {
  EventProvenance p;
  p.first_sample_s = 12.25;
  p.last_sample_s = 12.5;
  p.last_arrival_s = 12.5078125;
  p.produced_s = 12.509765625;
  p.streams = {{"left_insole", 0.001}, {"pelvis_imu", 0.25}};  // published_s stays NaN: nobody stamped it
  const auto decoded = decode_event(encode_event(test::sample_session_end(), "runner-7", 41, &p));
  EXPECT_EQ(event_to_json(decoded),
            R"({"kind":"session_end","t_s":1800.25,"schema":"1.7","athlete":"runner-7","sequence":41,"steps":5321,)"
            R"("provenance":{"first_sample_s":12.25,"last_sample_s":12.5,"last_arrival_s":12.5078125,)"
            R"("produced_s":12.509765625,"published_s":null,"streams":[{"stream_id":"left_insole",)"
            R"("clock_error_bound_s":0.001},{"stream_id":"pelvis_imu","clock_error_bound_s":0.25}]}})");
  p.streams.clear();
  const auto none = decode_event(encode_event(test::sample_session_end(), "runner-7", 41, &p));
  EXPECT_NE(event_to_json(none).find(R"("streams":[]})"), std::string::npos) << event_to_json(none);
}

TEST(EventJson, ControlCharactersAreEscapedAndNonFiniteNumbersAreNull) {
  FormAlertEvent alert{std::numeric_limits<double>::quiet_NaN(), std::string("a\x01\tb\\", 5),
                       std::numeric_limits<double>::infinity(), -0.5, 1e-300};
  EXPECT_EQ(event_to_json(alert),
            R"({"kind":"form_alert","t_s":null,"metric":"a\u0001\tb\\","baseline":null,"current":-0.5,)"
            R"("threshold":1e-300})");
}

TEST(EventJson, AStepWithEveryMetricPresentHasAnEmptyAbsentObject) {
  auto step = test::sample_step();
  for (const StepField& f : step_metrics)
    if (!(step.*f.metric).present()) step.*f.metric = Metric::of(1.0);
  const auto json = event_to_json(step);
  EXPECT_NE(json.find(R"("absent":{}})"), std::string::npos) << json;
  EXPECT_EQ(json.find("null"), std::string::npos) << json;
}

}  // namespace
}  // namespace stridefuse
