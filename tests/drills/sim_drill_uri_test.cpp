// The simulated drill set as a device: `sim:drill?...` through the driver
// registry's "sim" scheme, its link and its driver's bytes, and the URI's
// refusals naming the bad key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "simulated/simulated_runner_link.hpp"
#include "stridefuse/core/device_uri.hpp"
#include "stridefuse/core/driver_registry.hpp"
#include "stridefuse/core/sample_batch.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"
#include "stridefuse/sim/drill_simulation.hpp"

namespace stridefuse {
namespace {

using ::testing::HasSubstr;

std::string refusal(const std::string& uri) {
  try {
    simulated::open_simulated_transport(parse_device_uri(uri));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(SimDrillUri, NamesTheBadKey) {
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&repz=3"), HasSubstr("sim:drill has no parameter 'repz' (known: exercise, side, reps"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&reps=ten"), HasSubstr("sim:drill: reps='ten' is not a number"));
  EXPECT_THAT(refusal("sim:drill?exercise=plank"), HasSubstr("sim:drill: exercise='plank' is not bridge, single-leg-rdl"));
  EXPECT_THAT(refusal("sim:drill?reps=3"), HasSubstr("sim:drill needs exercise="));
  EXPECT_THAT(refusal("sim:drill?exercise=single-leg-rdl"),
              HasSubstr("sim:drill: single-leg-rdl is one-sided: give side=left, right or both"));
  EXPECT_THAT(refusal("sim:drill?exercise=pigeon&side=middle"), HasSubstr("sim:drill: side='middle' is not left, right or both"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&faults=3:spin:6"), HasSubstr("'spin' is not tilt, obliquity or rotation"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&faults=3-6"), HasSubstr("sim:drill: faults='3-6' is not a list of rep:axis:degrees"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&faults=12:rotation:6&reps=10"), HasSubstr("fault on rep 12: reps are 1 to 10"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&faults=2:tilt:6"), HasSubstr("a fault must be in obliquity or rotation"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&mount_error_deg=1,2"), HasSubstr("mount_error_deg='1,2' is not three"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&insole_imu=maybe"), HasSubstr("insole_imu='maybe' is not true or false"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&clock=wall"), HasSubstr("clock='wall' is not host or virtual"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&clock=virtual&time_scale=2"), HasSubstr("clock=virtual runs unscaled"));
  EXPECT_THAT(refusal("sim:drill?exercise=bridge&reps=0"), HasSubstr("reps must be 1 to 1000"));
  EXPECT_THAT(refusal("sim:walker"), HasSubstr("sim:walker is not a simulated device (there are sim:runner and sim:drill)"));
  EXPECT_EQ(refusal("sim:drill?exercise=bridge&clock=virtual"), "");
  EXPECT_EQ(refusal("sim:runner?clock=virtual"), "");
}

TEST(SimDrillUri, ListsEveryKeyTheReadmeDocuments) {
  const auto keys = simulated::drill_uri_keys();
  std::ifstream readme(std::string(STRIDEFUSE_SOURCE_DIR) + "/drivers/simulated/README.md");
  ASSERT_TRUE(readme.good());
  const std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
  for (const auto& key : keys) EXPECT_THAT(text, HasSubstr("| `" + key + "`")) << key;
}

// Opens the URI as the session would (registry scheme, driver configured with
// the same parameters), reads every byte of the set on the link's own clock,
// decodes them, puts each sample at its session time from its device clock
// (what clock sync estimates) and runs the tracker on them in time order.
TEST(SimDrillUri, CarriesASetThroughItsLinkAndDriverToTheTracker) {
  const std::string uri =
      "sim:drill?exercise=donkey-kick&side=both&reps=6&seed=5&faults=2:rotation:7,5:tilt:-6&clock=virtual";
  DriverRegistry registry;
  register_builtin_drivers(registry);
  const auto parsed = parse_device_uri(uri);
  const auto* scheme = registry.scheme("sim");
  ASSERT_NE(scheme, nullptr);
  auto transport = scheme->open_transport(parsed);
  auto driver = registry.create(scheme->driver);
  driver->configure(parsed.params);
  const auto streams = driver->streams();
  ASSERT_EQ(streams.size(), 3u);
  EXPECT_TRUE(streams[1].insole.has_value());

  // The same set, for its clocks and its truth.
  const auto settings = simulated::drill_link_settings(parsed.params);
  sim::DrillSimulation truth(settings.drill);
  const auto clocks = truth.clock_truth();

  auto* stamped = dynamic_cast<StampedTransport*>(transport.get());
  ASSERT_NE(stamped, nullptr);
  SampleBatch batch;
  std::array<std::uint8_t, 700> buffer{};
  while (stamped->last_arrival_s() < truth.end_s() + 0.5) {
    const auto n = transport->read(buffer, std::chrono::milliseconds(0));
    driver->decode({buffer.data(), n}, batch);
  }
  std::vector<Sample> samples(batch.begin(), batch.end());
  std::map<std::uint16_t, std::uint64_t> last_tick, wraps;
  for (auto& s : samples) {
    const auto& c = clocks[s.stream];
    if (last_tick.contains(s.stream) && s.device_tick < last_tick[s.stream]) ++wraps[s.stream];
    last_tick[s.stream] = s.device_tick;
    const double ticks = static_cast<double>(s.device_tick + (wraps[s.stream] << c.tick_bits));
    s.t_s = (ticks / c.tick_rate_hz - c.offset_s) / (1.0 + c.drift_ppm * 1e-6);
  }
  std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.t_s < b.t_s; });

  std::vector<RepEvent> reps;
  fusion::DrillTracker tracker(streams, {DrillExercise::donkey_kick, DrillSide::both, std::nullopt},
                               {[&](const RepEvent& r) { reps.push_back(r); }, {}, {}});
  for (const auto& s : samples) tracker.push(s);
  tracker.finish();
  ASSERT_EQ(reps.size(), 6u);
  for (std::size_t i = 0; i < reps.size(); ++i) {
    EXPECT_EQ(reps[i].side, truth.reps()[i].side) << i;
    EXPECT_EQ(reps[i].pelvis_moved, truth.reps()[i].faulty) << i;
    EXPECT_NEAR(reps[i].t_start_s, truth.reps()[i].t_start_s, 0.3) << i;
  }
  EXPECT_NEAR(reps[1].excursion.rotation_deg, 7.0, 1.0);
  EXPECT_NEAR(reps[4].excursion.tilt_deg, -6.0, 1.0);
}

}  // namespace
}  // namespace stridefuse
