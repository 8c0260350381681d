#pragma once
// The layers of stridefuse and which may use which: the data the
// architecture test checks the tree against (sdk/README.md, "Architecture").
// One place to read, one place to change. A "use" is an #include of a file
// of that layer or a link to a CMake target of it.

#include <array>
#include <string_view>

namespace stridefuse::architecture {

enum class Layer {
  none,         // not a layer: top-level files, build settings (stridefuse_warnings)
  core,         // sdk/core: contracts, clocks, merge, driver kit
  fusion,       // fusion/: the engine and its estimators
  simulator,    // drivers/simulated/runner, drill, second_runner: the simulated runners' and drills' models
  drivers_api,  // drivers/include: stridefuse/drivers/builtin_drivers.hpp, the registry entry
  drivers,      // drivers/<family>/: the drivers themselves (their headers are internal)
  runtime,      // sdk/runtime: session, transports, publishing, recording, offline, schema
  tools,        // tools/: the stridefuse program
  bindings,     // bindings/: the C API and the Python module
  examples,     // examples/
  tests,        // tests/: tests and benchmarks, which may reach anything
};

std::string_view layer_name(Layer layer);

// Which folder holds which layer: the longest matching prefix wins.
struct Folder {
  std::string_view prefix;
  Layer layer;
};
inline constexpr std::array folders{
    Folder{"sdk/core/", Layer::core},
    Folder{"sdk/runtime/", Layer::runtime},
    Folder{"fusion/", Layer::fusion},
    Folder{"drivers/simulated/runner/", Layer::simulator},
    Folder{"drivers/simulated/drill/", Layer::simulator},
    Folder{"drivers/simulated/second_runner/", Layer::simulator},
    Folder{"drivers/include/", Layer::drivers_api},
    Folder{"drivers/", Layer::drivers},
    Folder{"tools/", Layer::tools},
    Folder{"bindings/", Layer::bindings},
    Folder{"examples/", Layer::examples},
    Folder{"tests/", Layer::tests},
};

// THE RULES. A layer may use itself, Layer::none, and what is listed here;
// anything else is a violation. Tests may use anything (not listed: checked
// apart). One row per allowed direction, with the reason.
struct Use {
  Layer from;
  Layer to;
  std::string_view why;
};
inline constexpr std::array allowed_uses{
    // core uses nothing of ours: every other part builds on its contracts.
    Use{Layer::fusion, Layer::core, "the engine sees streams and samples (core types), never devices or sessions"},
    Use{Layer::simulator, Layer::core, "the model produces frames and samples of the core types; it knows no driver"},
    Use{Layer::drivers_api, Layer::core, "registering drivers needs the core's registry"},
    Use{Layer::drivers, Layer::core, "a driver implements the core's driver interface with its kit"},
    Use{Layer::drivers, Layer::drivers_api, "the generated builtin_drivers.cpp defines the drivers' public entry"},
    Use{Layer::drivers, Layer::simulator, "the simulated runner's link and the bridge emulator drive the model"},
    Use{Layer::runtime, Layer::core, "a session runs drivers, clocks and merge of the core"},
    Use{Layer::runtime, Layer::fusion, "a session feeds the engine; its configuration carries the engine's"},
    Use{Layer::runtime, Layer::drivers_api, "devices are opened through the registry only, never a driver's header"},
    Use{Layer::tools, Layer::runtime, "the CLI is a client of the runtime"},
    Use{Layer::tools, Layer::fusion, "part of the runtime's API (linked PUBLIC by it)"},
    Use{Layer::tools, Layer::core, "part of the runtime's API (linked PUBLIC by it)"},
    Use{Layer::tools, Layer::simulator, "`stridefuse simulate` writes synthetic recordings with the model"},
    Use{Layer::bindings, Layer::runtime, "the C API and the Python module wrap the runtime"},
    Use{Layer::bindings, Layer::fusion, "part of the runtime's API (linked PUBLIC by it)"},
    Use{Layer::bindings, Layer::core, "part of the runtime's API (linked PUBLIC by it)"},
    Use{Layer::bindings, Layer::simulator, "the bindings write synthetic recordings with the model"},
    Use{Layer::examples, Layer::runtime, "examples show a user's program: the installed SDK"},
    Use{Layer::examples, Layer::fusion, "part of the runtime's API (linked PUBLIC by it)"},
    Use{Layer::examples, Layer::core, "part of the runtime's API (linked PUBLIC by it)"},
    Use{Layer::examples, Layer::bindings, "the C example is a program on the C API"},
};

// CMake targets whose layer is not simply that of the folder declaring them
// (drivers/CMakeLists.txt declares three). `provides` is what linking the
// target gives: stridefuse_drivers exposes only the registry entry
// (drivers/include), stridefuse_driver_internals every driver folder.
// Targets not listed take the layer of their SOURCE_DIR for both.
struct TargetLayer {
  std::string_view target;
  Layer layer;
  Layer provides;
};
inline constexpr std::array target_layers{
    TargetLayer{"stridefuse_warnings", Layer::none, Layer::none},
    TargetLayer{"stridefuse_core", Layer::core, Layer::core},
    TargetLayer{"stridefuse_fusion", Layer::fusion, Layer::fusion},
    TargetLayer{"stridefuse_simulator", Layer::simulator, Layer::simulator},
    TargetLayer{"stridefuse_drivers", Layer::drivers, Layer::drivers_api},
    TargetLayer{"stridefuse_driver_internals", Layer::drivers, Layer::drivers},
    TargetLayer{"stridefuse_sdk", Layer::runtime, Layer::runtime},
    TargetLayer{"stridefuse", Layer::tools, Layer::tools},
    TargetLayer{"stridefuse_c", Layer::bindings, Layer::bindings},
    TargetLayer{"stridefuse_python", Layer::bindings, Layer::bindings},
};

// Headers generated into the build tree, by the prefix they are included with.
struct GeneratedHeaders {
  std::string_view prefix;
  Layer layer;
};
inline constexpr std::array generated_headers{
    GeneratedHeaders{"stridefuse/schema/", Layer::runtime},  // capnp, from sdk/runtime/schema/*.capnp
    // The C API's step struct, from the step table (bindings/c/generator/generate_step_header.cpp).
    GeneratedHeaders{"stridefuse/stridefuse_step.h", Layer::bindings},
};

// EXCEPTIONS: violations allowed for a while, each with the reason it is
// allowed and the change that removes it. `what` is the include as written or
// the linked target. Delete a row when it no longer matches anything: the test
// TemporaryExceptions.AreAllStillNeeded names the rows to delete. None today.
enum class UseKind { include, link };
struct Exception {
  Layer from;
  UseKind kind;
  std::string_view what;
};
inline constexpr std::array<Exception, 0> temporary_exceptions{};

}  // namespace stridefuse::architecture
