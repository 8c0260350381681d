// `stridefuse devices` as a user runs it: a bridge on a serial port and the
// sensors it hears, each with its driver; an unusable port is explained.

#include <gtest/gtest.h>

#include "bridge/emulator/pty_bridge.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "support/shell_command.hpp"

namespace {

using namespace stridefuse;

TEST(DevicesCommand, ListsTheSensorsABridgeHears) {
  sim::RunnerConfig runner;
  runner.speed_source = sim::SpeedSource::stream;
  bridge::PtyBridge pty(bridge::BridgeEmulator(std::make_unique<bridge::RunnerSensors>(runner)));
  const auto r = stridefuse::testing::run_shell("timeout 20 " + std::string(STRIDEFUSE_CLI) +
                                                " devices --scan-ms 200 --serial " + pty.path());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("USB devices:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("serial:" + pty.path()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bridge protocol 1.1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'SFP-IMU' -58 dBm: driver reference-imu"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'SFI-L-265' -66 dBm: driver reference-insole"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'SFI-R-265' -66 dBm: driver reference-insole"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'Footpod' -71 dBm: driver rsc-speed"), std::string::npos) << r.out;
}

TEST(DevicesCommand, AnUnusablePortIsExplained) {
  const auto r = stridefuse::testing::run_shell(std::string(STRIDEFUSE_CLI) +
                                                " devices --scan-ms 50 --serial /dev/nonexistent-bridge");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("not usable: cannot open serial device /dev/nonexistent-bridge"), std::string::npos) << r.out;
  const auto bad = stridefuse::testing::run_shell(std::string(STRIDEFUSE_CLI) + " devices --scan-ms 0");
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
}

}  // namespace
