// The tree keeps its layers: every include of the sources and every link of
// the CMake targets goes the way layer_rules.hpp allows, apart from the
// temporary exceptions named there (sdk/README.md, "Architecture").

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include "architecture/layer_check.hpp"

namespace {

using namespace stridefuse::architecture;

const std::vector<SourceFile>& tree() {
  static const std::vector<SourceFile> files = read_tree(STRIDEFUSE_SOURCE_DIR);
  return files;
}

const LinkGraph& link_graph() {
  static const LinkGraph graph = [] {
    std::ifstream in(STRIDEFUSE_LINK_GRAPH);
    std::stringstream text;
    text << in.rdbuf();
    return parse_link_graph(text.str(), STRIDEFUSE_SOURCE_DIR);
  }();
  return graph;
}

std::vector<Violation> every_violation() {
  auto violations = check_includes(tree());
  const auto links = check_links(link_graph());
  violations.insert(violations.end(), links.begin(), links.end());
  return violations;
}

TEST(Layering, TheTreeAndTheGraphAreThere) {
  // A checker that reads nothing passes everything: make sure it read the tree and the graph.
  for (const Folder& folder : folders) {
    EXPECT_TRUE(std::any_of(tree().begin(), tree().end(),
                            [&](const SourceFile& f) { return f.path.starts_with(folder.prefix) && !f.text.empty(); }))
        << "no source file under " << folder.prefix;
  }
  for (const TargetLayer& row : target_layers) {
#ifdef STRIDEFUSE_WITHOUT_PYTHON_MODULE
    if (row.target == std::string_view("stridefuse_python")) continue;  // not built in this flavour
#endif
    EXPECT_TRUE(std::any_of(link_graph().targets.begin(), link_graph().targets.end(),
                            [&](const LinkTarget& t) { return t.name == row.target; }))
        << row.target << " is not in " << STRIDEFUSE_LINK_GRAPH;
  }
}

TEST(Layering, IncludesGoOneWay) {
  const Sorted sorted = apply_exceptions(check_includes(tree()), temporary_exceptions);
  EXPECT_TRUE(sorted.violations.empty()) << "includes against the layers (tests/architecture/layer_rules.hpp):\n"
                                         << report(sorted.violations);
}

TEST(Layering, LinksGoOneWay) {
  const Sorted sorted = apply_exceptions(check_links(link_graph()), temporary_exceptions);
  EXPECT_TRUE(sorted.violations.empty()) << "links against the layers (tests/architecture/layer_rules.hpp):\n"
                                         << report(sorted.violations);
}

TEST(Layering, EveryTargetIsInALayer) {
  std::string unplaced;
  for (const std::string& name : unplaced_targets(link_graph())) unplaced += "  " + name + "\n";
  EXPECT_TRUE(unplaced.empty()) << "targets declared outside the layer folders; add them to target_layers "
                                   "(tests/architecture/layer_rules.hpp):\n"
                                << unplaced;
}

TEST(TemporaryExceptions, AreAllStillNeeded) {
  const Sorted sorted = apply_exceptions(every_violation(), temporary_exceptions);
  std::string unused;
  for (const Exception& exception : unused_exceptions(sorted.excused, temporary_exceptions)) {
    unused += "  " + describe(exception) + "\n";
  }
  EXPECT_TRUE(unused.empty()) << "temporary exceptions that excuse nothing any more: delete them from "
                                 "temporary_exceptions (tests/architecture/layer_rules.hpp):\n"
                              << unused;
  if (!sorted.excused.empty()) std::cout << "excused for now:\n" << report(sorted.excused);
}

}  // namespace
