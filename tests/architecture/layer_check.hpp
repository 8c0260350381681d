#pragma once
// The checker behind the architecture test: finds includes and links that
// cross the layers of layer_rules.hpp the wrong way. Pure functions over a
// list of files and a link graph, so that its own tests can feed it
// synthetic trees; read_tree and parse_link_graph give it the real ones.

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "architecture/layer_rules.hpp"

namespace stridefuse::architecture {

/// The layer of a path relative to the source root ("fusion/src/x.cpp").
Layer layer_of_path(std::string_view path);

/// Whether `from` may use `to` (itself, Layer::none, a row of allowed_uses;
/// tests may use anything).
bool allowed(Layer from, Layer to);

/// What `from` may use, for messages: "core, fusion".
std::string allowed_list(Layer from);

/// A file of the tree: path relative to the source root, and its text (empty
/// for files that are not C or C++ sources).
struct SourceFile {
  std::string path;
  std::string text;
};

/// A CMake target as CMake resolved it: where it was declared (relative to
/// the source root, "" for the top level) and every item of its
/// LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES.
struct LinkTarget {
  std::string name;
  std::string source_dir;
  std::vector<std::string> links;
};
struct LinkGraph {
  std::vector<LinkTarget> targets;
  std::map<std::string, std::string> aliases;  ///< alias -> target
};

struct Violation {
  UseKind kind = UseKind::include;
  std::string where;  ///< "fusion/src/engine/engine.cpp:7" or the linking target
  std::string what;   ///< the include as written, or the linked target
  Layer from = Layer::none;
  Layer to = Layer::none;  ///< Layer::none: an include that names no file of the tree
  std::string describe() const;
};

/// Every include of a non-test file that resolves to a file (or generated
/// header) of a layer it may not use, or names a stridefuse/ header that
/// does not exist. An include resolves relative to the including file, else
/// (when it has a folder in it) to the file of the tree whose path ends with
/// it, preferring the includer's own layer.
std::vector<Violation> check_includes(std::span<const SourceFile> files);

/// Every link of a non-test target to a project target of a layer it may not
/// use. Items that are not targets of the project (Boost::headers, dl, ...)
/// are not ours to check.
std::vector<Violation> check_links(const LinkGraph& graph);

/// Targets that fall in no layer (declared at the top level and not in
/// target_layers): the link check cannot place them.
std::vector<std::string> unplaced_targets(const LinkGraph& graph);

/// The layer a target is checked as, and what linking it provides.
Layer target_layer(const LinkTarget& target);
Layer target_provides(const LinkTarget& target);

struct Sorted {
  std::vector<Violation> violations;  ///< not excused
  std::vector<Violation> excused;     ///< matched by an exception
};
Sorted apply_exceptions(std::vector<Violation> found, std::span<const Exception> exceptions);

/// The exceptions that excuse none of `excused`.
std::vector<Exception> unused_exceptions(std::span<const Violation> excused, std::span<const Exception> exceptions);

/// One line per violation, for a failure message.
std::string report(std::span<const Violation> violations);
std::string describe(const Exception& exception);

/// Every file under the layer folders of `root`, with the text of C and C++
/// sources (and their .in templates).
std::vector<SourceFile> read_tree(const std::filesystem::path& root);

/// The graph the build writes at configure time (tests/architecture/CMakeLists.txt):
/// lines "target<TAB>name<TAB>source dir", "links<TAB>name<TAB>a;b;c",
/// "alias<TAB>alias<TAB>target". Source dirs are made relative to `source_root`.
LinkGraph parse_link_graph(std::string_view text, std::string_view source_root);

}  // namespace stridefuse::architecture
