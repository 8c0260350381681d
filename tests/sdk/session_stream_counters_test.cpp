// Device status per stream: each stream of a bridge says its own frames (the
// pelvis IMU at 200 Hz twice the insoles' 100 Hz), not the bridge's totals.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/session.hpp"

namespace stridefuse {
namespace {

class StatusCollector final : public EventPublisher {
 public:
  void publish(const Event& e) override {
    if (const auto* s = std::get_if<DeviceStatusEvent>(&e)) {
      std::lock_guard lock(mutex_);
      last_[s->stream_id] = *s;
    }
  }
  std::uint64_t dropped() const override { return 0; }
  std::map<std::string, DeviceStatusEvent> last() const {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, DeviceStatusEvent> last_;
};

TEST(SessionStreamCounters, EachStreamOfABridgeReportsItsOwnFrames) {
  SessionConfig config;
  config.status_interval_s = 0.2;
  auto devices = open_devices({"emu:bridge?standing_s=30&time_scale=4&sensors=pelvis_imu,left_insole,right_insole"},
                              {}, config);
  auto collector = std::make_shared<StatusCollector>();
  Session session(config, collector);
  session.add_device(std::move(devices[0].transport), std::move(devices[0].driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  session.stop();

  const auto last = collector->last();  // the final status of each stream, at session end
  ASSERT_EQ(last.size(), 3u);
  const auto pelvis = last.at("pelvis_imu").frames;
  const auto left = last.at("left_insole").frames;
  const auto right = last.at("right_insole").frames;
  ASSERT_GT(left, 100u);
  // 200 Hz against 100 Hz, give or take the samples in flight at the end.
  EXPECT_NEAR(static_cast<double>(pelvis) / static_cast<double>(left), 2.0, 0.2) << pelvis << " / " << left;
  EXPECT_NEAR(static_cast<double>(right), static_cast<double>(left), 0.1 * static_cast<double>(left));
  const auto stats = session.device_stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(pelvis + left + right, stats[0].decode.frames) << "the streams' frames add up to the bridge's";
  ASSERT_EQ(stats[0].streams.size(), 3u);
  EXPECT_EQ(stats[0].streams[0].decode.frames, pelvis);
}

}  // namespace
}  // namespace stridefuse
