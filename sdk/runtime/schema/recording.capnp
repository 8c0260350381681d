# Payloads of a session recording file (`stridefuse record`), one message per
# frame. The framing (type, length, CRC-32) and what each frame means for
# replay: sdk/runtime/src/record/README.md.
#
# Evolution: append only, as events.capnp. A reader rejects a frame type it
# does not know, so a new frame type bumps formatVersion.
@0xfc2f57fea7155cdd;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stridefuse::schema::recording");

const formatVersion :UInt16 = 1;

struct Param {
  key @0 :Text;
  value @1 :Text;
}

# Frame type 1: how to rebuild one device; written when its transport is wrapped.
struct DeviceSetup {
  index @0 :UInt16;           # order of add_device, from 0
  source @1 :Text;            # where the bytes came from, e.g. "simulated-runner" or a device URI
  driver @2 :Text;            # driver that decoded them
  params @3 :List(Param);     # what rebuilding the driver needs (source specific)
  reconnects @4 :Bool;        # Transport::reconnects() of the live transport
  describe @5 :Text;          # Transport::describe() of the live transport
  minDelayS @6 :Float64;      # Transport::min_delay_s() of the live transport, s; clock sync subtracts it
                              # from every arrival. Recordings written before this field read 0,
                              # which is what their sessions used (the recorder did not forward it).
}

# Frame type 2: what one Transport::read() call of a device returned.
struct TransportRead {
  device @0 :UInt16;
  outcome @1 :Outcome;
  arrivalS @2 :Float64;       # session time the call returned, s (the reader's arrival stamp)
  bytes @3 :Data;             # outcome bytes: what was read
  error @4 :Text;             # outcome error: the TransportError message

  enum Outcome {
    bytes @0;
    timeout @1;
    error @2;
  }
}

# Frame type 3: the session's configuration (SessionConfig, EngineConfig).
struct SessionSetup {
  athlete @0 :Text;
  mergeMaxWaitS @1 :Float64;
  statusIntervalS @2 :Float64;
  queueCapacity @3 :UInt64;
  hasTreadmillSpeed @4 :Bool;
  treadmillSpeedMps @5 :Float64;
  hasBodyMass @6 :Bool;
  bodyMassKg @7 :Float64;
  alertPelvicDropDeg @8 :Float64;
  alertFootStrikeDistanceM @9 :Float64;
  alertTiltDeg @10 :Float64;
  attitudeEventRateHz @11 :Float64;
  alertBaselineSteps @12 :UInt64;
  alertWindowSteps @13 :UInt64;
  # Since issue 16: drill mode (EngineConfig::drill, fusion/DRILLS.md); a
  # recording without these fields ran the running engine.
  hasDrill @14 :Bool;
  drillExercise @15 :UInt8;        # DrillExercise's ordinal
  drillSide @16 :UInt8;            # DrillSide's ordinal
  hasDrillTolerance @17 :Bool;
  drillToleranceDeg @18 :Float64;
  findings @19 :Bool = true;       # EngineConfig::findings
  drillCalibrationHinge @20 :Bool; # DrillConfig::calibration_hinge (since the calibration hinge)
}

# Frame type 4: the fusion thread started; the wall clock it put in SessionStartEvent.
struct SessionStart {
  hostStartUnixNs @0 :UInt64;
}

# Frame type 5: one turn of the fusion loop that changed something.
struct FusionTurn {
  nowS @0 :Float64;               # session time the merger released at, s
  popped @1 :List(UInt32);        # samples taken from each device's queue, by device index
  status @2 :Bool;                # status events were published in this turn
  readerSteps @3 :List(UInt64);   # status: steps each device reader had committed at the snapshot
}

# Frame type 6: the fusion loop ended.
struct SessionEnd {
  endS @0 :Float64;               # session time of SessionEndEvent, s
  readerSteps @1 :List(UInt64);   # steps each device reader had committed at the final status
}

# Frame type 7: one event as the session published it on the wire.
struct PublishedEvent {
  topic @0 :Text;                 # "<athlete>/<kind>"
  message @1 :Data;               # the EventMessage bytes (events.capnp)
}
