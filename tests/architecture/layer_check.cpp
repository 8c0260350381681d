#include "architecture/layer_check.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>

namespace stridefuse::architecture {

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::none: return "none";
    case Layer::core: return "core";
    case Layer::fusion: return "fusion";
    case Layer::simulator: return "simulator";
    case Layer::drivers_api: return "driver registry entry";
    case Layer::drivers: return "driver internals";
    case Layer::runtime: return "runtime";
    case Layer::tools: return "tools";
    case Layer::bindings: return "bindings";
    case Layer::examples: return "examples";
    case Layer::tests: return "tests";
  }
  return "?";
}

Layer layer_of_path(std::string_view path) {
  Layer layer = Layer::none;
  std::size_t longest = 0;
  for (const Folder& folder : folders) {
    if (path.starts_with(folder.prefix) && folder.prefix.size() > longest) {
      layer = folder.layer;
      longest = folder.prefix.size();
    }
  }
  return layer;
}

bool allowed(Layer from, Layer to) {
  if (from == to || to == Layer::none || from == Layer::tests) return true;
  return std::any_of(allowed_uses.begin(), allowed_uses.end(),
                     [&](const Use& use) { return use.from == from && use.to == to; });
}

std::string allowed_list(Layer from) {
  std::string list;
  for (const Use& use : allowed_uses) {
    if (use.from != from) continue;
    if (!list.empty()) list += ", ";
    list += layer_name(use.to);
  }
  return list.empty() ? std::string("nothing of the other layers") : list;
}

std::string Violation::describe() const {
  std::ostringstream out;
  if (kind == UseKind::include) {
    out << where << ": " << layer_name(from) << " includes \"" << what << "\"";
  } else {
    out << "target " << where << " (" << layer_name(from) << ") links " << what;
  }
  if (to == Layer::none) {
    out << ", which names no file of the tree";
  } else {
    out << " (" << layer_name(to) << "); " << layer_name(from) << " may use " << allowed_list(from);
  }
  return out.str();
}

namespace {

std::string_view directory_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

// "a/b/../c/./d.hpp" -> "a/c/d.hpp"; "" when it climbs above the root.
std::string normalized(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return {};
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
  }
  std::string joined;
  for (const auto part : parts) {
    if (!joined.empty()) joined += '/';
    joined += part;
  }
  return joined;
}

struct Include {
  int line = 0;
  std::string path;
};

// `#include "x"` and `#include <x>` at the start of a line (a commented-out
// one starts with // and is not taken).
std::vector<Include> includes_of(std::string_view text) {
  std::vector<Include> found;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto skip_blanks = [&] {
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    };
    skip_blanks();
    if (!line.starts_with('#')) continue;
    line.remove_prefix(1);
    skip_blanks();
    if (!line.starts_with("include")) continue;
    line.remove_prefix(7);
    skip_blanks();
    if (line.empty() || (line.front() != '"' && line.front() != '<')) continue;
    const char close = line.front() == '"' ? '"' : '>';
    const auto stop = line.find(close, 1);
    if (stop == std::string_view::npos) continue;
    found.push_back({line_number, std::string(line.substr(1, stop - 1))});
  }
  return found;
}

class Resolver {
 public:
  explicit Resolver(std::span<const SourceFile> files) {
    for (const SourceFile& file : files) {
      paths_.insert(file.path);
      // Index every ending that starts after a slash: "a/b/c.hpp" under "b/c.hpp" and "c.hpp".
      for (auto slash = file.path.find('/'); slash != std::string::npos; slash = file.path.find('/', slash + 1)) {
        by_ending_[file.path.substr(slash + 1)].push_back(file.path);
      }
    }
  }

  // The layer of the file `include` names from `includer`; nullopt for a
  // file outside the tree (a system or library header).
  std::optional<Layer> layer_of(std::string_view includer, std::string_view include) const {
    const std::string beside = normalized(std::string(directory_of(includer)) + "/" + std::string(include));
    if (!beside.empty() && paths_.contains(beside)) return layer_of_path(beside);
    if (include.find('/') == std::string_view::npos) return std::nullopt;
    const auto it = by_ending_.find(normalized(include));
    if (it == by_ending_.end()) {
      for (const GeneratedHeaders& generated : generated_headers) {
        if (include.starts_with(generated.prefix)) return generated.layer;
      }
      return std::nullopt;
    }
    const Layer own = layer_of_path(includer);
    for (const std::string& candidate : it->second) {
      if (layer_of_path(candidate) == own) return own;
    }
    return layer_of_path(*std::min_element(it->second.begin(), it->second.end()));
  }

 private:
  std::set<std::string> paths_;
  std::map<std::string, std::vector<std::string>> by_ending_;
};

}  // namespace

std::vector<Violation> check_includes(std::span<const SourceFile> files) {
  const Resolver resolver(files);
  std::vector<Violation> violations;
  for (const SourceFile& file : files) {
    const Layer from = layer_of_path(file.path);
    if (from == Layer::tests || from == Layer::none) continue;
    for (const Include& include : includes_of(file.text)) {
      const auto to = resolver.layer_of(file.path, include.path);
      const std::string where = file.path + ":" + std::to_string(include.line);
      if (!to) {
        if (include.path.starts_with("stridefuse/")) {
          violations.push_back({UseKind::include, where, include.path, from, Layer::none});
        }
        continue;
      }
      if (!allowed(from, *to)) violations.push_back({UseKind::include, where, include.path, from, *to});
    }
  }
  return violations;
}

namespace {

const TargetLayer* listed(std::string_view name) {
  const auto it = std::find_if(target_layers.begin(), target_layers.end(),
                               [&](const TargetLayer& t) { return t.target == name; });
  return it == target_layers.end() ? nullptr : &*it;
}

Layer folder_layer(const LinkTarget& target) {
  return target.source_dir.empty() ? Layer::none : layer_of_path(target.source_dir + "/");
}

}  // namespace

Layer target_layer(const LinkTarget& target) {
  const TargetLayer* row = listed(target.name);
  return row ? row->layer : folder_layer(target);
}

Layer target_provides(const LinkTarget& target) {
  const TargetLayer* row = listed(target.name);
  return row ? row->provides : folder_layer(target);
}

std::vector<Violation> check_links(const LinkGraph& graph) {
  std::map<std::string, const LinkTarget*> by_name;
  for (const LinkTarget& target : graph.targets) by_name[target.name] = &target;
  std::vector<Violation> violations;
  for (const LinkTarget& target : graph.targets) {
    const Layer from = target_layer(target);
    if (from == Layer::tests || from == Layer::none) continue;
    std::set<std::string> seen;
    for (const std::string& item : target.links) {
      const auto alias = graph.aliases.find(item);
      const std::string& name = alias == graph.aliases.end() ? item : alias->second;
      const auto linked = by_name.find(name);
      if (linked == by_name.end() || !seen.insert(name).second) continue;
      const Layer to = target_provides(*linked->second);
      if (!allowed(from, to)) violations.push_back({UseKind::link, target.name, name, from, to});
    }
  }
  return violations;
}

std::vector<std::string> unplaced_targets(const LinkGraph& graph) {
  std::vector<std::string> unplaced;
  for (const LinkTarget& target : graph.targets) {
    if (!listed(target.name) && folder_layer(target) == Layer::none) unplaced.push_back(target.name);
  }
  return unplaced;
}

namespace {

bool excuses(const Exception& exception, const Violation& violation) {
  return exception.from == violation.from && exception.kind == violation.kind && exception.what == violation.what;
}

}  // namespace

Sorted apply_exceptions(std::vector<Violation> found, std::span<const Exception> exceptions) {
  Sorted sorted;
  for (Violation& violation : found) {
    const bool excused = std::any_of(exceptions.begin(), exceptions.end(),
                                     [&](const Exception& e) { return excuses(e, violation); });
    (excused ? sorted.excused : sorted.violations).push_back(std::move(violation));
  }
  return sorted;
}

std::vector<Exception> unused_exceptions(std::span<const Violation> excused, std::span<const Exception> exceptions) {
  std::vector<Exception> unused;
  for (const Exception& exception : exceptions) {
    if (std::none_of(excused.begin(), excused.end(), [&](const Violation& v) { return excuses(exception, v); })) {
      unused.push_back(exception);
    }
  }
  return unused;
}

std::string report(std::span<const Violation> violations) {
  std::string text;
  for (const Violation& violation : violations) text += "  " + violation.describe() + "\n";
  return text;
}

std::string describe(const Exception& exception) {
  return std::string(layer_name(exception.from)) + (exception.kind == UseKind::include ? " includes \"" : " links ") +
         std::string(exception.what) + (exception.kind == UseKind::include ? "\"" : "");
}

std::vector<SourceFile> read_tree(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::set<std::string> tops;
  for (const Folder& folder : folders) tops.insert(std::string(folder.prefix.substr(0, folder.prefix.find('/'))));
  static constexpr std::array<std::string_view, 12> source_endings{
      ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".inl", ".ipp", ".cpp.in", ".hpp.in"};
  std::vector<SourceFile> files;
  for (const std::string& top : tops) {
    if (!fs::is_directory(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file()) continue;
      SourceFile file{fs::relative(entry.path(), root).generic_string(), {}};
      if (std::any_of(source_endings.begin(), source_endings.end(),
                      [&](std::string_view ending) { return file.path.ends_with(ending); })) {
        std::ifstream in(entry.path(), std::ios::binary);
        file.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      files.push_back(std::move(file));
    }
  }
  std::sort(files.begin(), files.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  return files;
}

namespace {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  while (true) {
    const auto at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

}  // namespace

LinkGraph parse_link_graph(std::string_view text, std::string_view source_root) {
  LinkGraph graph;
  std::map<std::string, std::size_t> index;
  const auto target_named = [&](const std::string& name) -> LinkTarget& {
    const auto [it, added] = index.try_emplace(name, graph.targets.size());
    if (added) graph.targets.push_back({name, {}, {}});
    return graph.targets[it->second];
  };
  for (const std::string& line : split(text, '\n')) {
    const auto fields = split(line, '\t');
    if (fields.size() != 3) continue;
    if (fields[0] == "target") {
      std::string dir = fields[2];
      if (dir == source_root) {
        dir.clear();
      } else if (dir.starts_with(source_root) && dir[source_root.size()] == '/') {
        dir.erase(0, source_root.size() + 1);
      }
      target_named(fields[1]).source_dir = dir;
    } else if (fields[0] == "links") {
      for (std::string& item : split(fields[2], ';')) {
        if (!item.empty()) target_named(fields[1]).links.push_back(std::move(item));
      }
    } else if (fields[0] == "alias") {
      graph.aliases[fields[1]] = fields[2];
    }
  }
  return graph;
}

}  // namespace stridefuse::architecture
