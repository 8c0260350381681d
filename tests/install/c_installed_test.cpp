// The C API as an outside C project sees it once installed: the header, the
// shared library and the stridefuse::c target found with
// find_package(stridefuse CONFIG), and the C example built against them, with
// CMake and with a plain C compiler and pkg-config.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <unistd.h>

#include "support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using stridefuse::testing::run_shell;

TEST(CInstalled, ExampleBuildsAsItsOwnProjectAgainstTheInstalledPackage) {
  const fs::path prefix = fs::temp_directory_path() / ("stridefuse_c_install_" + std::to_string(getpid()));
  fs::remove_all(prefix);
  const std::string cmake = STRIDEFUSE_CMAKE_COMMAND;
  const auto install = run_shell(cmake + " --install " + STRIDEFUSE_BINARY_DIR + " --prefix " + prefix.string());
  ASSERT_EQ(install.exit_code, 0) << install.out;
  EXPECT_TRUE(fs::exists(prefix / "include/stridefuse/stridefuse.h"));
  EXPECT_TRUE(fs::exists(prefix / "include/stridefuse/stridefuse_step.h"));  // generated from the step table

  const fs::path build = prefix / "example-build";
  const auto configure = run_shell(cmake + " -S " + STRIDEFUSE_SOURCE_DIR + "/examples/c_live_session -B " +
                                   build.string() + " -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" +
                                   prefix.string());
  ASSERT_EQ(configure.exit_code, 0) << configure.out;
  const auto compile = run_shell(cmake + " --build " + build.string());
  ASSERT_EQ(compile.exit_code, 0) << compile.out;
  const auto example = run_shell((build / "example_c_live_session").string() + " 2.5");
  EXPECT_EQ(example.exit_code, 0) << example.out;
  EXPECT_NE(example.out.find("session ended after"), std::string::npos) << example.out;

  // A C toolchain alone, through pkg-config.
  if (run_shell("command -v pkg-config && command -v cc").exit_code == 0) {
    const fs::path program = prefix / "example-cc";
    const auto cc = run_shell("PKG_CONFIG_PATH=" + (prefix / "lib/pkgconfig").string() + " sh -c 'cc -std=c11 -o " +
                              program.string() + " " + STRIDEFUSE_SOURCE_DIR +
                              "/examples/c_live_session/main.c $(pkg-config --cflags --libs stridefuse-c)'");
    ASSERT_EQ(cc.exit_code, 0) << cc.out;
    const auto run = run_shell("LD_LIBRARY_PATH=" + (prefix / "lib").string() + " " + program.string() + " 2.5");
    EXPECT_EQ(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find("session ended after"), std::string::npos) << run.out;
  }
  fs::remove_all(prefix);
}

}  // namespace
