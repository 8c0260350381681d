#pragma once
// Faults to inject into an emulated bridge session at given emulator times: a
// sensor's link lost for a while, a sensor refusing a connection, a sensor's
// clock restarting, the bridge unplugged and replugged, plus random damage on
// the link. Test and development code: the driver knows nothing of it. A
// VirtualBridgeTransport applies a plan as its emulator's time passes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bridge_emulator.hpp"

namespace stridefuse::bridge {

enum class FaultKind {
  link_lost,       ///< the sensor's link is lost and it is out of range for duration_s
  refuse_connect,  ///< the sensor refuses the next CONNECT (out_of_range)
  clock_restart,   ///< the sensor reboots: link lost for duration_s (if it had one), its counter restarts from 0
  unplug,          ///< the bridge is unplugged for duration_s (it loses power), then replugged
  connected_lost,  ///< the bridge's next CONNECTED to the host is lost on the way: a connection the host does not hear of
};

const char* to_string(FaultKind kind);

struct Fault {
  double at_s = 0.0;  ///< emulator time
  FaultKind kind = FaultKind::link_lost;
  std::size_t sensor = 0;  ///< index into the bridge's adverts (not used by unplug)
  double duration_s = 0.0;
};

struct FaultPlan {
  std::vector<Fault> faults;  ///< in time order
  LinkDamage damage;          ///< from time 0 on
};

/// The soak of issue 12: each sensor's link lost for [away_min_s, away_max_s]
/// every [every_min_s, every_max_s] (the first loss after `first_after_s`), the
/// last sensor refusing its first connection, sensor 1 (a reboot with its link)
/// restarting its clock at 60 % of the run, the bridge unplugged for
/// `unplug_s` at 40 %, and `damage` throughout. Faults stop 10 s before the end.
struct SoakFaults {
  double duration_s = 1800.0;
  std::size_t sensors = 3;
  double first_after_s = 20.0;
  double every_min_s = 60.0, every_max_s = 120.0;
  double away_min_s = 2.0, away_max_s = 10.0;
  double unplug_s = 3.0;
  LinkDamage damage{0.05, 1e-4, 1};
  std::uint64_t seed = 1;
};

/// Throws std::invalid_argument for fewer than 2 sensors or an empty or inverted range.
FaultPlan soak_fault_plan(const SoakFaults& soak);

/// What a plan did: the faults applied (a link loss of a sensor that was not
/// connected then is skipped and listed apart; a clock restart always applies), the sensors' link changes and
/// the emulator's counters, as the transport last saw them.
struct FaultJournal {
  std::vector<Fault> applied;
  std::vector<Fault> skipped;
  std::vector<LinkChange> links;
  BridgeEmulatorCounters counters;
};

}  // namespace stridefuse::bridge
