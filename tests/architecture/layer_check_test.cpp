// The checker on synthetic trees and graphs: each rule of layer_rules.hpp
// must catch its violation, and leave alone what the rules allow.

#include <gtest/gtest.h>

#include <algorithm>

#include "architecture/layer_check.hpp"

namespace {

using namespace stridefuse::architecture;

// A small tree: one public header per layer, a driver's internal header, a
// tool's and the C API's header, a test helper.
std::vector<SourceFile> tree_with(std::vector<SourceFile> sources) {
  std::vector<SourceFile> files{
      {"sdk/core/include/stridefuse/core/units.hpp", ""},
      {"sdk/runtime/include/stridefuse/runtime/session.hpp", ""},
      {"sdk/runtime/src/session/fusion_core.hpp", ""},
      {"fusion/include/stridefuse/fusion/engine.hpp", ""},
      {"fusion/src/engine/engine_impl.hpp", ""},
      {"drivers/simulated/runner/include/stridefuse/sim/runner_config.hpp", ""},
      {"drivers/include/stridefuse/drivers/builtin_drivers.hpp", ""},
      {"drivers/bridge/open_bridge.hpp", ""},
      {"drivers/simulated/simulated_runner_link.hpp", ""},
      {"tools/cli/command.hpp", ""},
      {"bindings/c/include/stridefuse/stridefuse.h", ""},
      {"tests/support/shell_command.hpp", ""},
  };
  files.insert(files.end(), sources.begin(), sources.end());
  return files;
}

std::vector<std::string> sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The uses found, as "from -> to: include or target", sorted.
std::vector<std::string> found(const std::vector<Violation>& violations) {
  std::vector<std::string> lines;
  for (const Violation& v : violations) {
    lines.push_back(std::string(layer_name(v.from)) + " -> " + std::string(layer_name(v.to)) + ": " + v.what);
  }
  return sorted(lines);
}

TEST(LayerCheck, FoldersMapToLayersByLongestPrefix) {
  EXPECT_EQ(layer_of_path("sdk/core/src/clock/device_clock.cpp"), Layer::core);
  EXPECT_EQ(layer_of_path("sdk/runtime/src/session/session.cpp"), Layer::runtime);
  EXPECT_EQ(layer_of_path("drivers/simulated/runner/src/foot_motion.cpp"), Layer::simulator);
  EXPECT_EQ(layer_of_path("drivers/simulated/simulated_runner_link.cpp"), Layer::drivers);
  EXPECT_EQ(layer_of_path("drivers/include/stridefuse/drivers/builtin_drivers.hpp"), Layer::drivers_api);
  EXPECT_EQ(layer_of_path("tests/fusion/engine_test.cpp"), Layer::tests);
  EXPECT_EQ(layer_of_path("CMakeLists.txt"), Layer::none);
}

TEST(LayerCheck, TheRulesThemselvesGoOneWay) {
  // No layer may reach itself again through other layers: the allowed graph is acyclic.
  const auto reaches = [](Layer from, Layer target) {
    std::vector<Layer> todo{from};
    std::vector<Layer> seen;
    while (!todo.empty()) {
      const Layer at = todo.back();
      todo.pop_back();
      for (const Use& use : allowed_uses) {
        if (use.from != at || std::find(seen.begin(), seen.end(), use.to) != seen.end()) continue;
        if (use.to == target) return true;
        seen.push_back(use.to);
        todo.push_back(use.to);
      }
    }
    return false;
  };
  for (const Use& use : allowed_uses) {
    EXPECT_FALSE(reaches(use.to, use.from))
        << layer_name(use.from) << " -> " << layer_name(use.to) << " closes a cycle";
    EXPECT_NE(use.from, Layer::core) << "the core uses nothing of ours";
    EXPECT_FALSE(use.why.empty());
  }
}

TEST(LayerCheck, CatchesEachWrongDirection) {
  const auto files = tree_with({
      {"fusion/src/engine/a.cpp", "#include \"stridefuse/runtime/session.hpp\"\n"},
      {"fusion/src/engine/b.cpp", "#include \"bridge/open_bridge.hpp\"\n"},
      {"fusion/src/engine/c.cpp", "#include \"stridefuse/sim/runner_config.hpp\"\n"},
      {"sdk/core/src/clock/d.cpp", "#include <stridefuse/fusion/engine.hpp>\n"},
      {"sdk/core/src/clock/e.cpp", "  #  include \"stridefuse/runtime/session.hpp\"  // spaces\n"},
      {"drivers/bridge/f.cpp", "#include \"stridefuse/fusion/engine.hpp\"\n#include \"stridefuse/runtime/session.hpp\"\n"},
      {"sdk/runtime/src/session/g.cpp", "#include \"simulated/simulated_runner_link.hpp\"\n"},
      {"sdk/runtime/src/session/h.cpp", "#include \"stridefuse/sim/runner_config.hpp\"\n"},
      {"drivers/bridge/i.cpp", "#include \"cli/command.hpp\"\n"},
      {"sdk/runtime/src/session/j.cpp", "#include \"stridefuse/stridefuse.h\"\n"},
      {"tools/cli/k.cpp", "#include \"bridge/open_bridge.hpp\"\n"},
      {"examples/cpp_live_session/main.cpp", "#include \"simulated/simulated_runner_link.hpp\"\n"},
      {"examples/cpp_live_session/l.cpp", "#include \"stridefuse/sim/runner_config.hpp\"\n"},
      {"drivers/simulated/runner/src/m.cpp", "#include \"simulated/simulated_runner_link.hpp\"\n"},
      {"fusion/src/engine/n.cpp", "#include \"support/shell_command.hpp\"\n"},
      {"drivers/bridge/o.cpp", "#include \"../../sdk/runtime/include/stridefuse/runtime/session.hpp\"\n"},
  });
  EXPECT_EQ(found(check_includes(files)),
            sorted(std::vector<std::string>{
                "fusion -> driver internals: bridge/open_bridge.hpp",
                "driver internals -> fusion: stridefuse/fusion/engine.hpp",
                "driver internals -> runtime: stridefuse/runtime/session.hpp",
                "driver internals -> tools: cli/command.hpp",
                "driver internals -> runtime: ../../sdk/runtime/include/stridefuse/runtime/session.hpp",
                "examples -> simulator: stridefuse/sim/runner_config.hpp",
                "examples -> driver internals: simulated/simulated_runner_link.hpp",
                "fusion -> runtime: stridefuse/runtime/session.hpp",
                "fusion -> simulator: stridefuse/sim/runner_config.hpp",
                "fusion -> tests: support/shell_command.hpp",
                "core -> fusion: stridefuse/fusion/engine.hpp",
                "core -> runtime: stridefuse/runtime/session.hpp",
                "simulator -> driver internals: simulated/simulated_runner_link.hpp",
                "runtime -> driver internals: simulated/simulated_runner_link.hpp",
                "runtime -> simulator: stridefuse/sim/runner_config.hpp",
                "runtime -> bindings: stridefuse/stridefuse.h",
                "tools -> driver internals: bridge/open_bridge.hpp",
            }));
}

TEST(LayerCheck, LeavesAloneWhatTheRulesAllow) {
  const auto files = tree_with({
      {"fusion/src/engine/a.cpp",
       "#include \"engine_impl.hpp\"\n#include \"stridefuse/core/units.hpp\"\n#include <vector>\n#include <Eigen/Core>\n"},
      {"fusion/src/engine/engine_impl.hpp", "// #include \"stridefuse/runtime/session.hpp\" commented out\n"},
      {"sdk/runtime/src/session/b.cpp",
       "#include \"session/fusion_core.hpp\"\n#include \"stridefuse/drivers/builtin_drivers.hpp\"\n"
       "#include \"stridefuse/fusion/engine.hpp\"\n#include \"stridefuse/schema/events.capnp.h\"\n"},
      {"drivers/simulated/c.cpp", "#include \"simulated/simulated_runner_link.hpp\"\n#include \"stridefuse/sim/runner_config.hpp\"\n"},
      {"tools/cli/d.cpp", "#include \"command.hpp\"\n#include \"stridefuse/sim/runner_config.hpp\"\n"
                          "#include \"stridefuse/runtime/session.hpp\"\n#include \"stridefuse/core/units.hpp\"\n"},
      {"examples/c_live_session/main.c", "#include \"stridefuse/stridefuse.h\"\n"},
      {"tests/fusion/e_test.cpp", "#include \"bridge/open_bridge.hpp\"\n#include \"session/fusion_core.hpp\"\n"},
  });
  EXPECT_EQ(found(check_includes(files)), std::vector<std::string>{});
}

TEST(LayerCheck, GeneratedHeadersBelongToTheirLayer) {
  const auto files = tree_with({{"fusion/src/engine/a.cpp", "#include \"stridefuse/schema/events.capnp.h\"\n"}});
  EXPECT_EQ(found(check_includes(files)), std::vector<std::string>{"fusion -> runtime: stridefuse/schema/events.capnp.h"});
}

// One fusion source with `text`: what the checker says of it.
std::vector<std::string> descriptions_of(const std::string& text) {
  std::vector<std::string> lines;
  for (const Violation& v : check_includes(tree_with({{"fusion/src/engine/a.cpp", text}}))) lines.push_back(v.describe());
  return lines;
}

TEST(LayerCheck, SaysWhereAndWhatIsAllowed) {
  EXPECT_EQ(descriptions_of("\n\n#include \"stridefuse/runtime/session.hpp\"\n"),
            std::vector<std::string>{"fusion/src/engine/a.cpp:3: fusion includes \"stridefuse/runtime/session.hpp\" "
                                     "(runtime); fusion may use core"});
}

TEST(LayerCheck, ReportsAStridefuseHeaderThatDoesNotExist) {
  EXPECT_EQ(descriptions_of("#include \"stridefuse/units.hpp\"\n"),
            std::vector<std::string>{"fusion/src/engine/a.cpp:1: fusion includes \"stridefuse/units.hpp\", which "
                                     "names no file of the tree"});
}

LinkGraph graph_with(std::vector<LinkTarget> extra) {
  LinkGraph graph{{
                      {"stridefuse_warnings", "", {}},
                      {"stridefuse_core", "sdk/core", {"Boost::headers", "stridefuse_warnings"}},
                      {"stridefuse_fusion", "fusion", {"stridefuse_core"}},
                      {"stridefuse_simulator", "drivers", {"stridefuse_core"}},
                      {"stridefuse_drivers", "drivers", {"stridefuse_core", "stridefuse_simulator"}},
                      {"stridefuse_driver_internals", "drivers", {"stridefuse_drivers", "stridefuse_simulator"}},
                      {"stridefuse_sdk", "sdk/runtime", {"stridefuse::core", "stridefuse_fusion", "stridefuse_drivers", "cppzmq"}},
                      {"stridefuse", "tools", {"stridefuse_sdk", "stridefuse_simulator", "Boost::program_options"}},
                      {"stridefuse_c", "bindings/c", {"stridefuse_sdk"}},
                      {"example_c", "examples/c_live_session", {"stridefuse::c"}},
                      {"device_tests", "tests/devices", {"stridefuse_driver_internals", "stridefuse_sdk"}},
                  },
                  {{"stridefuse::core", "stridefuse_core"}, {"stridefuse::c", "stridefuse_c"}}};
  for (auto& target : extra) {
    const auto it = std::find_if(graph.targets.begin(), graph.targets.end(),
                                 [&](const LinkTarget& t) { return t.name == target.name; });
    if (it != graph.targets.end()) {
      it->links.insert(it->links.end(), target.links.begin(), target.links.end());
    } else {
      graph.targets.push_back(target);
    }
  }
  return graph;
}

TEST(LayerCheck, LinksOfTheIntendedGraphPass) {
  EXPECT_EQ(found(check_links(graph_with({}))), std::vector<std::string>{});
  EXPECT_EQ(unplaced_targets(graph_with({})), std::vector<std::string>{});
}

TEST(LayerCheck, CatchesLinksTheWrongWay) {
  const auto graph = graph_with({
      {"stridefuse_fusion", "fusion", {"stridefuse_sdk"}},
      {"stridefuse_core", "sdk/core", {"stridefuse_fusion"}},
      {"stridefuse_simulator", "drivers", {"stridefuse_drivers"}},
      {"stridefuse_drivers", "drivers", {"stridefuse_fusion"}},
      {"stridefuse_sdk", "sdk/runtime", {"stridefuse_driver_internals", "stridefuse_simulator"}},
      {"stridefuse", "tools", {"stridefuse_driver_internals"}},
      {"stridefuse_c", "bindings/c", {"stridefuse"}},
      {"example_cpp", "examples/cpp_live_session", {"stridefuse_sdk", "stridefuse_simulator"}},
  });
  EXPECT_EQ(found(check_links(graph)), sorted(std::vector<std::string>{
                                            "core -> fusion: stridefuse_fusion",
                                            "fusion -> runtime: stridefuse_sdk",
                                            "simulator -> driver registry entry: stridefuse_drivers",
                                            "driver internals -> fusion: stridefuse_fusion",
                                            "runtime -> driver internals: stridefuse_driver_internals",
                                            "runtime -> simulator: stridefuse_simulator",
                                            "tools -> driver internals: stridefuse_driver_internals",
                                            "bindings -> tools: stridefuse",
                                            "examples -> simulator: stridefuse_simulator",
                                        }));
}

TEST(LayerCheck, ATargetOutsideTheLayersIsReported) {
  EXPECT_EQ(unplaced_targets(graph_with({{"stray", "", {"stridefuse_sdk"}}})), std::vector<std::string>{"stray"});
}

TEST(LayerCheck, ExceptionsExcuseExactlyWhatTheyName) {
  const std::vector<Exception> exceptions{
      {Layer::tools, UseKind::include, "bridge/open_bridge.hpp"},
      {Layer::tools, UseKind::link, "stridefuse_driver_internals"},
      {Layer::bindings, UseKind::include, "bridge/open_bridge.hpp"},  // matches nothing below
  };
  const auto files = tree_with({
      {"tools/cli/a.cpp", "#include \"bridge/open_bridge.hpp\"\n#include \"simulated/simulated_runner_link.hpp\"\n"},
      {"examples/cpp_live_session/b.cpp", "#include \"bridge/open_bridge.hpp\"\n"},
  });
  auto violations = check_includes(files);
  const auto links = check_links(graph_with({{"stridefuse", "tools", {"stridefuse_driver_internals"}}}));
  violations.insert(violations.end(), links.begin(), links.end());

  const Sorted split = apply_exceptions(violations, exceptions);
  EXPECT_EQ(found(split.violations), sorted(std::vector<std::string>{
                                          "examples -> driver internals: bridge/open_bridge.hpp",
                                          "tools -> driver internals: simulated/simulated_runner_link.hpp",
                                      }));
  EXPECT_EQ(found(split.excused), sorted(std::vector<std::string>{
                                       "tools -> driver internals: bridge/open_bridge.hpp",
                                       "tools -> driver internals: stridefuse_driver_internals",
                                   }));
  const auto unused = unused_exceptions(split.excused, exceptions);
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(describe(unused[0]), "bindings includes \"bridge/open_bridge.hpp\"");
}

TEST(LayerCheck, ReadsTheGraphCMakeWrites) {
  const LinkGraph graph = parse_link_graph(
      "target\tstridefuse_sdk\t/src/sdk/runtime\n"
      "target\tstridefuse_warnings\t/src\n"
      "target\tstridefuse_c\t/src/bindings/c\n"
      "links\tstridefuse_sdk\tstridefuse_core;stridefuse_fusion\n"
      "links\tstridefuse_sdk\tstridefuse_core;stridefuse_drivers;cppzmq\n"
      "links\tstridefuse_warnings\t\n"
      "alias\tstridefuse::c\tstridefuse_c\n",
      "/src");
  ASSERT_EQ(graph.targets.size(), 3u);
  EXPECT_EQ(graph.targets[0].name, "stridefuse_sdk");
  EXPECT_EQ(graph.targets[0].source_dir, "sdk/runtime");
  EXPECT_EQ(graph.targets[0].links, (std::vector<std::string>{"stridefuse_core", "stridefuse_fusion", "stridefuse_core",
                                                              "stridefuse_drivers", "cppzmq"}));
  EXPECT_EQ(graph.targets[1].source_dir, "");
  EXPECT_TRUE(graph.targets[1].links.empty());
  EXPECT_EQ(graph.aliases.at("stridefuse::c"), "stridefuse_c");
}

}  // namespace
