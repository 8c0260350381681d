// The SDK as an outside project uses it: `cmake --install`, then
// find_package(stridefuse CONFIG) from examples/, and the installed program
// and schema with an independent subscriber (python3-zmq + capnp decode).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using stridefuse::testing::run_shell;

class InstalledPackage : public ::testing::Test {
 protected:
  // CTest runs each test in its own process, possibly in parallel: one prefix per process.
  static fs::path prefix() {
    return fs::temp_directory_path() / ("stridefuse_install_test_" + std::to_string(getpid()));
  }

  static void SetUpTestSuite() {
    fs::remove_all(prefix());
    const auto r = run_shell(std::string(STRIDEFUSE_CMAKE_COMMAND) + " --install " + STRIDEFUSE_BINARY_DIR +
                             " --prefix " + prefix().string());
    install_ok = r.exit_code == 0;
    install_log = r.out;
  }
  static void TearDownTestSuite() { fs::remove_all(prefix()); }

  void SetUp() override { ASSERT_TRUE(install_ok) << install_log; }

  static inline bool install_ok = false;
  static inline std::string install_log;
};

TEST_F(InstalledPackage, PutsHeadersLibrariesProgramSchemaAndPackageConfigInPlace) {
  for (const char* path :
       {"include/stridefuse/runtime/session.hpp", "include/stridefuse/core/events.hpp", "include/stridefuse/fusion/engine.hpp",
        "bin/stridefuse", "share/stridefuse/schema/events.capnp", "lib/cmake/stridefuse/stridefuseConfig.cmake",
        "lib/cmake/stridefuse/stridefuseTargets.cmake", "lib/libstridefuse_sdk.a"})
    EXPECT_TRUE(fs::exists(prefix() / path)) << path;
  const auto version = run_shell((prefix() / "bin/stridefuse").string() + " version");
  EXPECT_EQ(version.exit_code, 0) << version.out;
}

TEST_F(InstalledPackage, ExampleBuildsWithFindPackageAndRuns) {
  const fs::path build = prefix() / "example-build";
  const auto configure = run_shell(std::string(STRIDEFUSE_CMAKE_COMMAND) + " -S " + STRIDEFUSE_SOURCE_DIR +
                                   "/examples/cpp_live_session -B " + build.string() +
                                   " -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + prefix().string());
  ASSERT_EQ(configure.exit_code, 0) << configure.out;
  const auto compile = run_shell(std::string(STRIDEFUSE_CMAKE_COMMAND) + " --build " + build.string() + " -j 2");
  ASSERT_EQ(compile.exit_code, 0) << compile.out;
  const auto example = run_shell((build / "example_cpp_live_session").string() + " 3");
  EXPECT_EQ(example.exit_code, 0) << example.out;
  EXPECT_NE(example.out.find("contact 0."), std::string::npos) << example.out;
  EXPECT_NE(example.out.find("session ended after"), std::string::npos) << example.out;
}

TEST_F(InstalledPackage, IndependentSubscriberDecodesALiveSessionWithTheInstalledSchema) {
  if (run_shell("command -v capnp").exit_code != 0) GTEST_SKIP() << "capnp command line tool not installed";
  // A port derived from the process id keeps parallel test runs apart.
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(20000 + getpid() % 20000);
  const fs::path log = prefix() / "run.log";
  const std::string runner = (prefix() / "bin/stridefuse").string() +
                             " run --simulate --duration 6 --standing 1 --athlete lab-7 --endpoint " + endpoint +
                             " > " + log.string() + " 2>&1";
  const std::string client = std::string("/usr/bin/python3 ") + STRIDEFUSE_SOURCE_DIR +
                             "/tests/install/live_stream_client.py --athlete lab-7 --timeout 40 --endpoint " +
                             endpoint + " --schema " + (prefix() / "share/stridefuse/schema/events.capnp").string();
  // The subscriber connects first (ZeroMQ reconnects until the publisher binds).
  const auto r = run_shell("( " + client + " ) & sleep 0.5; " + runner + "; wait $!");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("OK:"), std::string::npos) << r.out;
  std::ifstream in(log);
  const std::string run_output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(run_output.find("step    0"), std::string::npos) << run_output;
}

}  // namespace
