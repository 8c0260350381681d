// The CSV rendering (`stridefuse sub --format csv`): the JSON rendering's keys
// as columns, per kind, nested objects flattened, absent reasons and the
// provenance's streams packed, nulls empty, text quoted when it must be.

#include <gtest/gtest.h>

#include "event_samples.hpp"
#include "stridefuse/runtime/event_csv.hpp"

namespace stridefuse {
namespace {

DecodedEvent with_envelope(const Event& e, std::optional<EventProvenance> provenance = std::nullopt) {
  DecodedEvent d{EventEnvelope{}, e};
  d.envelope.athlete = "runner-7";
  d.envelope.sequence = 41;
  d.envelope.session_time_s = event_time_s(e);
  d.envelope.provenance = std::move(provenance);
  return d;
}

TEST(EventCsv, ColumnsAreTheJsonKeysInTheirOrder) {
  EXPECT_EQ(event_csv_header("session_end"),
            "kind,t_s,schema,athlete,sequence,steps,provenance.first_sample_s,provenance.last_sample_s,"
            "provenance.last_arrival_s,provenance.produced_s,provenance.published_s,provenance.streams");
  const auto step = event_csv_header("step");
  EXPECT_EQ(step.rfind("kind,t_s,schema,athlete,sequence,side,index,t_ic_s,t_to_s,contact_time_s,", 0), 0u) << step;
  EXPECT_NE(step.find(",vertical_oscillation_m,gait_mode,detected_by,foot_strike_distance_uncertainty_m,absent,provenance.first_sample_s,"), std::string::npos) << step;
  const auto status = event_csv_header("device_status");
  EXPECT_NE(status.find(",message,clock.resets,clock.wraps,"), std::string::npos) << status;
  EXPECT_NE(status.find(",clock.latency_residual_s,clock.absent,metrics,link_reason,reconnects,provenance."), std::string::npos) << status;
  EXPECT_NE(event_csv_header("session_start").find(",session_athlete,host_start_unix_ns,metrics,provenance."),
            std::string::npos);
  EXPECT_THROW(event_csv_columns("heartbeat"), std::invalid_argument);
}

TEST(EventCsv, ARowHasAFieldPerColumnWithNullsEmptyAndPackedLists) {
  EventProvenance p;
  p.first_sample_s = 12.25;
  p.last_sample_s = 12.5;
  p.last_arrival_s = 12.5078125;
  p.produced_s = 12.509765625;
  p.streams = {{"left_insole", 0.25}, {"pelvis_imu", 0.125}};
  EXPECT_EQ(event_to_csv_row(with_envelope(test::sample_session_end(), p)),
            "session_end,1800.25,1.7,runner-7,41,5321,12.25,12.5,12.5078125,12.509765625,,"
            "left_insole=0.25;pelvis_imu=0.125");
  EXPECT_EQ(event_to_csv_row(with_envelope(test::sample_session_end())), "session_end,1800.25,1.7,runner-7,41,5321,,,,,,");

  const auto step = with_envelope(test::sample_step());
  const auto row = event_to_csv_row(step);
  EXPECT_NE(row.find(",right,4242,12.3456789012345,12.5678,0.2221,,178.25,"), std::string::npos) << row;
  EXPECT_NE(row.find(",flight_time_s=no_previous_step;braking_time_s=no_pelvis_sensor;"), std::string::npos) << row;

  // Metric support packed as name=left/right.
  const auto start = event_to_csv_row(with_envelope(test::sample_session_start()));
  EXPECT_NE(start.find(",contact_time_s=none/none;attitude=no_pelvis_sensor/no_pelvis_sensor"), std::string::npos)
      << start;
}

TEST(EventCsv, TextIsQuotedAndANullClockLeavesItsColumnsEmpty) {
  auto status = test::sample_device_status();  // its message holds quotes and a line break
  status.clock.reset();
  status.metrics.clear();  // unchanged support: its column empty too
  const auto row = event_to_csv_row(with_envelope(status));
  // The clock's 12 columns, the metrics' one, link_reason and reconnects (a link that never
  // went down) and the provenance's 6 empty after the quoted message.
  const std::string tail = ",\"crc errors: 17 \"\"bad\"\" packets\n\"" + std::string(21, ',');
  EXPECT_TRUE(row.ends_with(tail)) << row;
  std::size_t commas = 0;
  bool quoted = false;
  for (const char c : row) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) ++commas;
  }
  EXPECT_EQ(commas + 1, event_csv_columns("device_status").size());
}

}  // namespace
}  // namespace stridefuse
