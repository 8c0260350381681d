// Live sessions through the C API: callback and poll on the simulated runner,
// ZeroMQ publishing, duration and stop, device statistics, the bounded queue.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "bindings_c/c_api_support.hpp"

namespace {

using stridefuse::testing::SessionPtr;
using stridefuse::testing::short_simulated_run;

SessionPtr create(const sf_session_options& options) {
  sf_session* s = nullptr;
  const int rc = sf_session_create(&options, &s);
  EXPECT_EQ(rc, SF_OK) << sf_last_error_message();
  return SessionPtr(s);
}

// Takes every queued event until the session has stopped and the queue is empty.
std::vector<sf_event> poll_all(sf_session* s) {
  std::vector<sf_event> out;
  sf_event e;
  int rc = SF_OK;
  while ((rc = sf_session_poll_event(s, &e, -1)) == SF_OK) out.push_back(e);
  EXPECT_EQ(rc, SF_ERROR_AGAIN) << sf_last_error_message();
  return out;
}

std::vector<sf_step_event> steps_of(const std::vector<sf_event>& events) {
  std::vector<sf_step_event> out;
  for (const auto& e : events)
    if (e.kind == SF_EVENT_STEP) out.push_back(e.body.step);
  return out;
}

TEST(CSession, CallbackAndPollSeeTheSameEventsFromStartToEnd) {
  auto options = short_simulated_run("c-api", 3.0);
  auto session = create(options);
  ASSERT_TRUE(session);
  std::vector<sf_event> from_callback;  // written on the fusion thread, read after the session stopped
  ASSERT_EQ(sf_session_set_callback(
                session.get(),
                [](const sf_event* e, void* user) { static_cast<std::vector<sf_event>*>(user)->push_back(*e); },
                &from_callback),
            SF_OK);
  ASSERT_EQ(sf_session_start(session.get()), SF_OK) << sf_last_error_message();
  const auto polled = poll_all(session.get());  // returns once the duration has ended the session
  ASSERT_EQ(sf_session_wait(session.get(), 0), SF_OK);

  ASSERT_FALSE(polled.empty());
  ASSERT_EQ(polled.size(), from_callback.size());
  for (std::size_t i = 0; i < polled.size(); ++i) {
    EXPECT_EQ(polled[i].kind, from_callback[i].kind) << i;
    EXPECT_EQ(polled[i].t_s, from_callback[i].t_s) << i;
  }
  EXPECT_EQ(polled.front().kind, SF_EVENT_SESSION_START);
  EXPECT_STREQ(polled.front().body.session_start.athlete, "c-api");
  EXPECT_GT(polled.front().body.session_start.host_start_unix_ns, 0u);
  ASSERT_EQ(polled.back().kind, SF_EVENT_SESSION_END);

  uint32_t steps = 0;
  ASSERT_EQ(sf_session_steps(session.get(), &steps), SF_OK);
  const auto step_events = steps_of(polled);
  EXPECT_GT(steps, 0u);
  EXPECT_EQ(step_events.size(), steps);
  EXPECT_EQ(polled.back().body.session_end.steps, steps);
  for (std::size_t i = 0; i < step_events.size(); ++i) {
    const auto& s = step_events[i];
    EXPECT_EQ(s.index, i);
    if (i > 0) {
      EXPECT_NE(s.side, step_events[i - 1].side) << "step " << i;
    }
    ASSERT_EQ(s.contact_time_s.present, 1) << sf_absent_reason_name(s.contact_time_s.absent_reason);
    EXPECT_EQ(s.contact_time_s.absent_reason, SF_ABSENT_NONE);
    EXPECT_GT(s.contact_time_s.value, 0.15);
    EXPECT_LT(s.contact_time_s.value, 0.35);
    EXPECT_GT(s.t_to_s, s.t_ic_s);
  }
  // Present means a number and no reason; absent means a reason and NaN, never a zero. Every metric.
  for (const auto& s : step_events)
    for (int id = 0; id < SF_STEP_METRIC_COUNT; ++id) {
      sf_metric m;
      ASSERT_EQ(sf_step_metric(&s, id, &m), SF_OK) << sf_last_error_message();
      EXPECT_EQ(m.present == 1, m.absent_reason == SF_ABSENT_NONE) << "step " << s.index << " " << sf_step_metric_name(id);
      EXPECT_EQ(m.present == 1, std::isfinite(m.value)) << "step " << s.index << " " << sf_step_metric_name(id);
    }

  bool attitude = false, status = false;
  for (const auto& e : polled) {
    attitude = attitude || e.kind == SF_EVENT_ATTITUDE;
    if (e.kind == SF_EVENT_DEVICE_STATUS) {
      status = true;
      EXPECT_GT(std::strlen(e.body.device_status.stream_id), 0u);
    }
  }
  EXPECT_TRUE(attitude);
  EXPECT_TRUE(status);
  uint64_t queue_dropped = 99, publisher_dropped = 99;
  ASSERT_EQ(sf_session_dropped(session.get(), &queue_dropped, &publisher_dropped), SF_OK);
  EXPECT_EQ(queue_dropped, 0u);
  EXPECT_EQ(publisher_dropped, 0u);
}

TEST(CSession, RunsUntilStoppedWithoutADurationAndReportsItsDevice) {
  auto session = create(short_simulated_run("c-api", 0.0));
  ASSERT_TRUE(session);
  EXPECT_EQ(sf_session_stop(session.get()), SF_OK);  // not started: nothing to do, it can still start
  ASSERT_EQ(sf_session_start(session.get()), SF_OK) << sf_last_error_message();
  EXPECT_EQ(sf_session_wait(session.get(), 50), SF_ERROR_TIMEOUT);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(sf_session_stop(session.get()), SF_OK) << sf_last_error_message();
  EXPECT_EQ(sf_session_stop(session.get()), SF_OK);  // twice is fine
  EXPECT_EQ(sf_session_wait(session.get(), 0), SF_OK);

  size_t count = 0;
  ASSERT_EQ(sf_session_device_count(session.get(), &count), SF_OK);
  ASSERT_EQ(count, 1u);
  sf_device_stats stats;
  ASSERT_EQ(sf_session_device_stats(session.get(), 0, &stats), SF_OK);
  EXPECT_STREQ(stats.transport, "simulated-runner");
  EXPECT_GT(std::strlen(stats.driver), 0u);
  EXPECT_GT(stats.frames, 0u);
  EXPECT_GT(stats.samples, 0u);
  EXPECT_EQ(stats.disconnected, 0);
  EXPECT_EQ(sf_session_device_stats(session.get(), 1, &stats), SF_ERROR_NOT_FOUND);
  EXPECT_NE(std::string(sf_last_error_message()).find("no device 1"), std::string::npos) << sf_last_error_message();

  const auto events = poll_all(session.get());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, SF_EVENT_SESSION_END);
}

TEST(CSession, AFullPollQueueDropsAndCountsWhatItCannotHold) {
  auto options = short_simulated_run("c-api", 1.0);
  options.poll_queue_capacity = 8;
  auto session = create(options);
  ASSERT_TRUE(session);
  std::uint64_t delivered = 0;  // fusion thread only, read after the session stopped
  ASSERT_EQ(sf_session_set_callback(
                session.get(), [](const sf_event*, void* user) { ++*static_cast<std::uint64_t*>(user); }, &delivered),
            SF_OK);
  ASSERT_EQ(sf_session_start(session.get()), SF_OK);
  ASSERT_EQ(sf_session_wait(session.get(), 30000), SF_OK);
  const auto events = poll_all(session.get());
  uint64_t dropped = 0;
  ASSERT_EQ(sf_session_dropped(session.get(), &dropped, nullptr), SF_OK);
  EXPECT_EQ(events.size(), 8u);
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(events.size() + dropped, delivered);
  EXPECT_EQ(events.front().kind, SF_EVENT_SESSION_START);  // the oldest are kept, later ones dropped
}

TEST(CSession, PublishesOnTheEndpointItWasGiven) {
  auto options = short_simulated_run("c-api-pub", 0.0);
  options.endpoint = "tcp://127.0.0.1:*";
  options.poll_queue_capacity = 0;
  auto session = create(options);
  ASSERT_TRUE(session);
  char endpoint[256];
  ASSERT_EQ(sf_session_endpoint(session.get(), endpoint, sizeof endpoint), SF_OK);
  ASSERT_EQ(std::string(endpoint).rfind("tcp://127.0.0.1:", 0), 0u) << endpoint;
  EXPECT_EQ(std::string(endpoint).find('*'), std::string::npos) << endpoint;

  zmq::context_t context;
  zmq::socket_t sub(context, zmq::socket_type::sub);
  sub.set(zmq::sockopt::subscribe, "c-api-pub/step");
  sub.set(zmq::sockopt::rcvtimeo, 200);
  sub.set(zmq::sockopt::linger, 0);
  sub.connect(endpoint);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // ZeroMQ's slow joiner
  ASSERT_EQ(sf_session_start(session.get()), SF_OK);

  std::string topic;
  std::size_t payload_bytes = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (topic.empty() && std::chrono::steady_clock::now() < deadline) {
    zmq::message_t t, payload;
    if (!sub.recv(t)) continue;
    ASSERT_TRUE(t.more());
    ASSERT_TRUE(sub.recv(payload));
    topic = t.to_string();
    payload_bytes = payload.size();
  }
  ASSERT_EQ(sf_session_stop(session.get()), SF_OK);
  EXPECT_EQ(topic, "c-api-pub/step");
  EXPECT_GT(payload_bytes, 0u);
  sf_event e;
  EXPECT_EQ(sf_session_poll_event(session.get(), &e, 0), SF_ERROR_STATE);  // created without a poll queue
}

TEST(CSession, VersionIsTheProjectsAndTheSchemas) {
  int major = -1, minor = -1, patch = -1, schema_major = -1, schema_minor = -1;
  ASSERT_EQ(sf_version(&major, &minor, &patch, &schema_major, &schema_minor), SF_OK);
  EXPECT_GE(major, 0);
  EXPECT_GE(minor, 0);
  EXPECT_GE(patch, 0);
  EXPECT_EQ(schema_major, 1);  // sdk/runtime/schema/EVENTS.md: messages of major 1
  EXPECT_GE(schema_minor, 0);
  EXPECT_EQ(sf_version(nullptr, nullptr, nullptr, nullptr, nullptr), SF_OK);
}

TEST(CSession, NamesAreTheSdksAndUnknownOutOfRange) {
  EXPECT_STREQ(sf_event_kind_name(SF_EVENT_STEP), "step");
  EXPECT_STREQ(sf_event_kind_name(SF_EVENT_SESSION_END), "session_end");
  EXPECT_STREQ(sf_event_kind_name(42), "unknown");
  EXPECT_STREQ(sf_side_name(SF_SIDE_RIGHT), "right");
  EXPECT_STREQ(sf_side_name(-1), "unknown");
  EXPECT_STREQ(sf_strike_pattern_name(SF_STRIKE_FOREFOOT), "forefoot");
  EXPECT_STREQ(sf_strike_pattern_name(4), "unknown");
  EXPECT_STREQ(sf_absent_reason_name(SF_ABSENT_NO_SPEED_SOURCE), "no_speed_source");
  EXPECT_STREQ(sf_absent_reason_name(SF_ABSENT_NOT_FOR_WALKING), "not_for_walking");
  // Every reason of the SDK has its name (10 and 11 once read "unknown").
  EXPECT_STREQ(sf_absent_reason_name(SF_ABSENT_NO_LEFT_INSOLE), "no_left_insole");
  EXPECT_STREQ(sf_absent_reason_name(SF_ABSENT_NO_RIGHT_INSOLE), "no_right_insole");
  EXPECT_STREQ(sf_absent_reason_name(12), "unknown");
  EXPECT_STREQ(sf_event_kind_name(SF_EVENT_REP), "rep");
  EXPECT_STREQ(sf_event_kind_name(SF_EVENT_PELVIS_MOVED), "pelvis_moved");
  EXPECT_STREQ(sf_event_kind_name(SF_EVENT_DRILL_SET), "drill_set");
  EXPECT_STREQ(sf_drill_exercise_name(SF_DRILL_SINGLE_LEG_RDL), "single-leg-rdl");
  EXPECT_STREQ(sf_drill_exercise_name(SF_DRILL_PIGEON), "pigeon");
  EXPECT_STREQ(sf_drill_exercise_name(6), "unknown");
  EXPECT_STREQ(sf_drill_side_name(SF_DRILL_BOTH), "both");
  EXPECT_STREQ(sf_drill_side_name(3), "unknown");
  EXPECT_STREQ(sf_pelvis_axis_name(SF_AXIS_OBLIQUITY), "obliquity");
  EXPECT_STREQ(sf_pelvis_axis_name(-1), "unknown");
  EXPECT_STREQ(sf_gait_mode_name(SF_GAIT_WALKING), "walking");
  EXPECT_STREQ(sf_gait_mode_name(3), "unknown");
  EXPECT_STREQ(sf_step_source_name(SF_STEP_FROM_PELVIS), "pelvis");
  EXPECT_STREQ(sf_step_source_name(-1), "unknown");
}

}  // namespace
