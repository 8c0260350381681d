// Every error path of the C API: each call names its failure with a code and
// a message, sets outputs to a known state, and never lets an exception out.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>

#include "bindings_c/c_api_support.hpp"

namespace {

using stridefuse::testing::SessionPtr;
using stridefuse::testing::short_simulated_run;

std::string last_message() { return sf_last_error_message(); }

// Creates with `options`, expecting `code`; returns the message.
std::string create_fails(const sf_session_options& options, int code) {
  sf_session* s = reinterpret_cast<sf_session*>(&s);  // not NULL, to see it reset
  EXPECT_EQ(sf_session_create(&options, &s), code) << last_message();
  EXPECT_EQ(s, nullptr);
  if (s) sf_session_destroy(s);
  return last_message();
}

TEST(CErrors, EveryCodeHasItsOwnDescription) {
  std::set<std::string> seen;
  for (int code : {SF_OK, SF_ERROR_NULL_ARGUMENT, SF_ERROR_INVALID_ARGUMENT, SF_ERROR_STATE, SF_ERROR_IO,
                   SF_ERROR_NOT_FOUND, SF_ERROR_AGAIN, SF_ERROR_TIMEOUT, SF_ERROR_NO_MEMORY, SF_ERROR_INTERNAL}) {
    const std::string text = sf_strerror(code);
    EXPECT_NE(text, "unknown error code") << code;
    EXPECT_TRUE(seen.insert(text).second) << text;
  }
  EXPECT_STREQ(sf_strerror(12345), "unknown error code");
}

TEST(CErrors, NullHandleIsRejectedByEveryCall) {
  sf_event event;
  uint32_t steps = 0;
  uint64_t dropped = 0;
  size_t count = 0;
  sf_device_stats stats;
  char buffer[64];
  EXPECT_EQ(sf_session_set_callback(nullptr, nullptr, nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_start(nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_stop(nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_wait(nullptr, 0), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_poll_event(nullptr, &event, 0), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_steps(nullptr, &steps), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_dropped(nullptr, &dropped, &dropped), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_endpoint(nullptr, buffer, sizeof buffer), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_device_count(nullptr, &count), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_device_stats(nullptr, 0, &stats), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(last_message(), "session is NULL");
  EXPECT_EQ(sf_session_destroy(nullptr), SF_OK);  // as free(NULL)
}

TEST(CErrors, NullOutputsAndOptionsAreRejected) {
  EXPECT_EQ(sf_session_options_init(nullptr), SF_ERROR_NULL_ARGUMENT);
  sf_session* s = nullptr;
  EXPECT_EQ(sf_session_create(nullptr, &s), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(last_message(), "options is NULL");
  const auto options = short_simulated_run("c-api", 0.0);
  EXPECT_EQ(sf_session_create(&options, nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(last_message(), "out is NULL");

  SessionPtr session;
  {
    sf_session* raw = nullptr;
    ASSERT_EQ(sf_session_create(&options, &raw), SF_OK) << last_message();
    session.reset(raw);
  }
  EXPECT_EQ(sf_session_poll_event(session.get(), nullptr, 0), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_steps(session.get(), nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_device_count(session.get(), nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_device_stats(session.get(), 0, nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_endpoint(session.get(), nullptr, 10), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_session_dropped(session.get(), nullptr, nullptr), SF_OK);  // both outputs optional
}

TEST(CErrors, BadAthleteIdIsAnInvalidArgumentNamingIt) {
  auto options = short_simulated_run("runner/7", 0.0);
  const auto message = create_fails(options, SF_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(message.find("athlete id 'runner/7'"), std::string::npos) << message;
  options.athlete = "";
  create_fails(options, SF_ERROR_INVALID_ARGUMENT);
  options.athlete = nullptr;
  EXPECT_EQ(create_fails(options, SF_ERROR_NULL_ARGUMENT), "options->athlete is NULL");
}

TEST(CErrors, BadEndpointIsAnInvalidArgumentAndABusyOneAnIoError) {
  auto options = short_simulated_run("c-api", 0.0);
  options.endpoint = "not-an-endpoint";
  const auto malformed = create_fails(options, SF_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(malformed.find("not-an-endpoint"), std::string::npos) << malformed;
  options.endpoint = "";
  create_fails(options, SF_ERROR_INVALID_ARGUMENT);

  options.endpoint = "tcp://127.0.0.1:*";
  sf_session* first = nullptr;
  ASSERT_EQ(sf_session_create(&options, &first), SF_OK) << last_message();
  SessionPtr owner(first);
  char bound[128];
  ASSERT_EQ(sf_session_endpoint(first, bound, sizeof bound), SF_OK);
  EXPECT_EQ(sf_session_endpoint(first, bound, 5), SF_ERROR_INVALID_ARGUMENT);  // too small for the text
  options.endpoint = bound;
  const auto busy = create_fails(options, SF_ERROR_IO);
  EXPECT_NE(busy.find(bound), std::string::npos) << busy;
}

TEST(CErrors, RunnerParametersAndSourcesAreChecked) {
  auto options = short_simulated_run("c-api", 0.0);
  options.runner.cadence_spm = -1.0;
  create_fails(options, SF_ERROR_INVALID_ARGUMENT);
  options = short_simulated_run("c-api", -1.0);
  EXPECT_NE(create_fails(options, SF_ERROR_INVALID_ARGUMENT).find("duration_s"), std::string::npos);
  options = short_simulated_run("c-api", 0.0);
  options.treadmill_speed_mps = 3.0;
  create_fails(options, SF_ERROR_INVALID_ARGUMENT);  // the runner has its own speed

  const char* uris[] = {"bogus:thing"};
  options = short_simulated_run("c-api", 0.0);
  options.device_uris = uris;
  options.device_count = 1;
  EXPECT_NE(create_fails(options, SF_ERROR_INVALID_ARGUMENT).find("exclude each other"), std::string::npos);
  options.simulate = 0;
  options.device_count = 0;
  EXPECT_NE(create_fails(options, SF_ERROR_INVALID_ARGUMENT).find("no source of data"), std::string::npos);
}

TEST(CErrors, DeviceUrisAreOpenedAsRunDoes) {
  auto options = short_simulated_run("c-api", 0.0);
  options.simulate = 0;
  const char* malformed[] = {"bogus:thing"};
  options.device_uris = malformed;
  options.device_count = 1;
  create_fails(options, SF_ERROR_INVALID_ARGUMENT);
  const char* missing[] = {"replay:/nonexistent/stridefuse-c-api.sfrec"};
  options.device_uris = missing;
  create_fails(options, SF_ERROR_IO);
  const char* with_null[] = {nullptr};
  options.device_uris = with_null;
  EXPECT_EQ(create_fails(options, SF_ERROR_NULL_ARGUMENT), "options->device_uris[0] is NULL");
  options.device_uris = nullptr;
  create_fails(options, SF_ERROR_NULL_ARGUMENT);
}

TEST(CErrors, CallsOutOfOrderAreStateErrors) {
  const auto options = short_simulated_run("c-api", 0.0);
  sf_session* raw = nullptr;
  ASSERT_EQ(sf_session_create(&options, &raw), SF_OK) << last_message();
  SessionPtr session(raw);
  sf_event event;
  EXPECT_EQ(sf_session_wait(raw, 0), SF_ERROR_STATE);         // never started
  EXPECT_EQ(sf_session_poll_event(raw, &event, -1), SF_ERROR_STATE);  // would wait for ever
  EXPECT_EQ(sf_session_poll_event(raw, &event, 0), SF_ERROR_AGAIN);
  char endpoint[64];
  EXPECT_EQ(sf_session_endpoint(raw, endpoint, sizeof endpoint), SF_ERROR_STATE);  // publishes nowhere

  ASSERT_EQ(sf_session_start(raw), SF_OK) << last_message();
  EXPECT_EQ(sf_session_start(raw), SF_ERROR_STATE);
  EXPECT_NE(last_message().find("starts once"), std::string::npos) << last_message();
  EXPECT_EQ(sf_session_set_callback(raw, [](const sf_event*, void*) {}, nullptr), SF_ERROR_STATE);
  ASSERT_EQ(sf_session_stop(raw), SF_OK);
  EXPECT_EQ(sf_session_start(raw), SF_ERROR_STATE);  // not restartable
}

TEST(CErrors, TheLastErrorMessageBelongsToTheThread) {
  EXPECT_EQ(sf_session_start(nullptr), SF_ERROR_NULL_ARGUMENT);
  std::string other;
  std::thread([&other] {
    EXPECT_STREQ(sf_last_error_message(), "");  // nothing failed on this thread yet
    sf_session_options_init(nullptr);
    other = sf_last_error_message();
  }).join();
  EXPECT_EQ(other, "options is NULL");
  EXPECT_EQ(last_message(), "session is NULL");
}

}  // namespace
