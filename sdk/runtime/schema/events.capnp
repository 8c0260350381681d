# The events stridefuse publishes, one EventMessage per ZeroMQ message.
# Field by field reference, units and evolution rules: sdk/runtime/schema/EVENTS.md.
#
# Evolution: append only. Never renumber, retype, rename the meaning of or
# remove a field, enumerant or union member; add new ones with the next free
# ordinal and bump schemaMinor. A change old readers cannot read safely bumps
# schemaMajor (readers reject a major they do not know).
@0x866d28bb1d527903;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stridefuse::schema");

const schemaMajor :UInt16 = 1;
const schemaMinor :UInt16 = 7;   # 1.1: heartbeat; 1.2: DeviceStatus.clock; 1.3: gait mode, step source, metric support, provenance;
                                 # 1.4: DeviceState reconnecting, DeviceStatus.linkReason and reconnects;
                                 # 1.5: form findings (Finding); 1.6: drill mode (Rep, PelvisMoved, DrillSet);
                                 # 1.7: Step.footStrikeDistanceUncertaintyM

# Envelope and body: what every message carries, then one event.
struct EventMessage {
  schemaMajor @0 :UInt16;     # equals the schemaMajor constant of the writer's schema
  schemaMinor @1 :UInt16;     # equals the schemaMinor constant of the writer's schema
  athlete @2 :Text;           # athlete id, also the first part of the topic
  sequence @3 :UInt64;        # per topic (athlete + kind), starts at 0, +1 per event; a gap means lost messages
  sessionTimeS @4 :Float64;   # session time of the event, s (for a step: its initial contact)

  body :union {
    sessionStart @5 :SessionStart;
    sessionEnd @6 :SessionEnd;
    step @7 :Step;
    attitude @8 :Attitude;
    formAlert @9 :FormAlert;
    deviceStatus @10 :DeviceStatus;
    heartbeat @11 :Heartbeat;   # since 1.1; sent by the publisher itself, topic kind "heartbeat"
    finding @13 :Finding;       # since 1.5; topic kind "finding"
    rep @14 :Rep;               # since 1.6; topic kind "rep"
    pelvisMoved @15 :PelvisMoved;  # since 1.6; topic kind "pelvis_moved"
    drillSet @16 :DrillSet;     # since 1.6; topic kind "drill_set"
  }

  # ---- since 1.3 (issue 14): where the event came from; see Provenance below ----
  provenance @12 :Provenance;  # null in heartbeats, in messages of older writers, and for events handed
                               # to a publisher without one (not by a session)
  # ---- end of 1.3 ----
}

struct SessionStart {
  athlete @0 :Text;
  hostStartUnixNs @1 :UInt64;  # wall-clock time of session time zero, ns since 1970-01-01 UTC
  metrics @2 :List(MetricSupport);  # since 1.3: what the session's streams can give; empty from older writers
}

# Since 1.3. Whether the session's streams can give one metric, per foot.
struct MetricSupport {
  metric @0 :Text;             # a steps.csv column name, or "attitude"
  left @1 :AbsentReason;       # none: the left foot's steps can have it; else why they will not
  right @2 :AbsentReason;
}

struct SessionEnd {
  steps @0 :UInt32;            # steps detected in the session, both feet
}

enum Side {
  left @0;
  right @1;
}

enum StrikePattern {
  unknown @0;
  rearfoot @1;   # strike index < 33.3 %
  midfoot @2;    # 33.3 .. 66.7 %
  forefoot @3;   # > 66.7 %
}

# Why a metric has no value.
enum AbsentReason {
  none @0;             # never sent inside Metric.absent (a present metric uses Metric.value)
  noPelvisSensor @1;
  noInsole @2;
  noSpeedSource @3;
  noPreviousStep @4;
  notCalibrated @5;
  degradedInput @6;
  notDetected @7;
  notForWalking @8;     # since 1.3: the estimator assumes running; the step was walking
  noInsoleGeometry @9;  # since 1.3: needs distances along the foot; the insole's length is unknown
  noLeftInsole @10;     # since 1.4: a right step's metric needs the left foot's next contact, which nothing times
  noRightInsole @11;    # since 1.4: a left step's metric needs the right foot's next contact, which nothing times
}

# Since 1.3. The gait of one step.
enum GaitMode {
  unknown @0;
  walking @1;    # double support, no flight
  running @2;    # flight, no double support
}

# Since 1.3. The sensor that timed a step's initial contact and toe-off.
enum StepSource {
  insole @0;     # this foot's insole
  pelvis @1;     # the pelvis IMU (no usable insole for this foot)
}

# A metric value, or the reason it could not be computed (never a zero stand-in).
struct Metric {
  union {
    value @0 :Float64;        # finite, in the unit of the field's name
    absent @1 :AbsentReason;
  }
}

# One step: initial contact (IC) of `side` to its toe-off (TO). Field names are
# the steps.csv columns (sdk/runtime/src/offline/FILES.md) in camelCase.
struct Step {
  side @0 :Side;
  index @1 :UInt32;                  # step number in the session, both feet counted
  tIcS @2 :Float64;                  # IC, session time, s
  tToS @3 :Float64;                  # TO, session time, s
  contactTimeS @4 :Metric;           # s
  flightTimeS @5 :Metric;            # s
  cadenceSpm @6 :Metric;             # steps per minute
  strikeIndexPct @7 :Metric;         # % of foot length from the heel
  strikePattern @8 :StrikePattern;
  footStrikeDistanceM @9 :Metric;    # m, positive: foot lands ahead of the centre of mass
  brakingTimeS @10 :Metric;          # s
  stepLengthM @11 :Metric;           # m
  tiltIcDeg @12 :Metric;             # deg at IC, anterior tilt positive
  obliquityIcDeg @13 :Metric;        # deg at IC, left side up positive
  rotationIcDeg @14 :Metric;         # deg at IC, right side forward positive
  pelvicDropDeg @15 :Metric;         # deg, positive: swing side dropped
  verticalOscillationM @16 :Metric;  # m, pelvis peak to peak
  gaitMode @17 :GaitMode;            # since 1.3; unknown from older writers
  detectedBy @18 :StepSource;        # since 1.3; insole from older writers
  footStrikeDistanceUncertaintyM @19 :Metric;  # since 1.7; m, one standard deviation; absent (notDetected) from older writers
}

# Unit quaternion, sensor frame to a Z-up earth frame (heading arbitrary).
struct Quaternion {
  w @0 :Float64;
  x @1 :Float64;
  y @2 :Float64;
  z @3 :Float64;
}

enum CalibrationSource {
  none @0;           # neutral posture not known yet: angles are relative to the sensor frame
  standing @1;       # from a quiet standing period
  firstStrides @2;   # from the first strides
}

struct Attitude {
  orientation @0 :Quaternion;
  tiltDeg @1 :Float64;        # about Y, anterior tilt positive
  obliquityDeg @2 :Float64;   # about X, left side up positive
  rotationDeg @3 :Float64;    # about Z, right side forward positive
  calibration @4 :CalibrationSource;
}

# A metric's rolling median drifted past a threshold from the athlete's baseline.
struct FormAlert {
  metric @0 :Text;            # steps.csv column name, e.g. "pelvic_drop_deg"
  baseline @1 :Float64;       # median over the baseline window, unit of the metric
  current @2 :Float64;        # rolling median now, unit of the metric
  threshold @3 :Float64;      # allowed change, unit of the metric
}

enum DeviceState {
  connected @0;
  streaming @1;
  degraded @2;
  disconnected @3;
  reconnecting @4;  # since 1.4: the link is lost and the host is trying to get it back (backoff)
}

# Since 1.4. Why a stream's link went down (or was last down): what the
# device, the bridge or the transport said.
enum LinkReason {
  none @0;           # the link has never gone down (or the stream has no link of its own)
  hostRequest @1;    # the host disconnected it (bridge DISCONNECTED reason 0)
  linkLost @2;       # the radio link was lost (bridge DISCONNECTED reason 1)
  remote @3;         # the sensor closed the link (bridge DISCONNECTED reason 2)
  transportLost @4;  # the transport to the device or bridge failed (unplugged, port gone, peer hung up)
  refused @5;        # a connection attempt was refused (e.g. too many connections, out of range)
  noAnswer @6;       # a request was not answered after its retries
}

struct DeviceStatus {
  streamId @0 :Text;
  state @1 :DeviceState;
  frames @2 :UInt64;              # frames decoded so far
  framesDropped @3 :UInt64;       # malformed or lost frames so far
  lateSamples @4 :UInt64;         # samples released after the merge latency bound
  clockErrorBoundS @5 :Float64;   # bound on the session-time error of this stream, s
  message @6 :Text;               # human-readable detail, empty when healthy; names clock trouble new
                                  # since the previous status of the stream (since 1.2)
  clock @7 :StreamClock;          # since 1.2; null in messages of older writers (state unknown, not zero)
  metrics @8 :List(MetricSupport);  # since 1.3: the session's metric support when it changed with this
                                    # status (a stream lost or back); empty otherwise
  linkReason @9 :LinkReason;      # since 1.4: why the link is (or was last) down; none from older writers
  reconnects @10 :UInt32;         # since 1.4: times the link came back after it was lost, this session
}

# Since 1.2. What the stream's clock sync has seen and estimated so far
# (counts since the session started). For a stream behind a bridge, the counts
# of both levels (sensor -> bridge, bridge -> host) added up.
struct StreamClock {
  resets @0 :UInt64;              # epochs started after the first: device resets, time jumps, reconnects
  wraps @1 :UInt64;               # tick counter wrap-arounds unwrapped (normal, not a problem)
  outOfOrder @2 :UInt64;          # frames whose tick was behind the newest one (reordered)
  duplicates @3 :UInt64;          # frames whose tick was seen before (dropped)
  rejectedTicks @4 :UInt64;       # ticks beyond the counter width (dropped)
  strayTicks @5 :UInt64;          # ticks that fit neither the clock line nor a new epoch (garbage)
  hostTimeBackwards @6 :UInt64;   # arrivals stamped earlier than the previous one
  absurdRates @7 :UInt64;         # times the ticks ran outside the nominal rate +- the drift limit
  driftPpm @8 :Metric;            # device rate error, ppm, positive: device fast; absent notCalibrated
                                  # until measured
  latencyCorrectionS @9 :Metric;  # s added to this insole's times by the live insole-to-pelvis
                                  # calibration; absent notCalibrated until it is applied, noInsole for a
                                  # stream that is not an insole, noPelvisSensor without a pelvis IMU
  latencyResidualS @10 :Metric;   # s, RMS of the calibration's window lags about its fit; absent as
                                  # latencyCorrectionS
}

# Since 1.1. The publisher's own liveness and delivery state, sent every
# heartbeat period whether or not events flow (topic "<athlete>/heartbeat").
# The envelope's sessionTimeS is the session time of the latest event
# published before it (0 before the first event).
struct Heartbeat {
  uptimeS @0 :Float64;          # since the publisher was created, s (host monotonic clock)
  periodS @1 :Float64;          # heartbeat period, s: a subscriber hearing nothing for a few periods has lost the publisher
  sent @2 :UInt64;              # events handed to ZeroMQ so far (heartbeats and snapshot repeats not counted)
  sendFailures @3 :UInt64;      # events sent to nobody so far (ZeroMQ refused them, or the publisher fell behind)
  subscriptions @4 :UInt32;     # topic subscriptions currently known to the publisher, all subscribers together
  snapshotsSent @5 :UInt64;     # snapshot messages repeated for late joiners so far
}

# ---- since 1.3 (issue 14): where an event came from ------------------------
# Every time is on the session clock (s: host monotonic clock, zero at session
# start), so a subscriber can tell from the event alone how long each stage
# took and how far to trust its timing. NaN means "does not apply" (named per
# field). Reference with the rules per event kind: EVENTS.md section 2.1.
struct Provenance {
  firstSampleS @0 :Float64;   # s, session time of the earliest sample the event was computed from;
                              # NaN when it was computed from no sample (session start/end, periodic status)
  lastSampleS @1 :Float64;    # s, session time of the latest sample it was computed from; NaN as firstSampleS
  lastArrivalS @2 :Float64;   # s, when the last of those samples reached the host (its transport read
                              # returned); NaN as firstSampleS
  producedS @3 :Float64;      # s, when fusion produced it: the time of the fusion turn that emitted it
  publishedS @4 :Float64;     # s, when the publisher handed it to ZeroMQ; NaN where no publisher stamped it
                              # (recordings, sessions not on the host clock)
  streams @5 :List(StreamOrigin);  # the streams whose samples it was computed from
}

struct StreamOrigin {
  streamId @0 :Text;            # stream id, e.g. "left_insole"
  clockErrorBoundS @1 :Float64; # s, bound on the session-time error of that stream's latest sample used
}
# ---- end of 1.3 ----

# ---- since 1.5 (issue 15): form findings -----------------------------------
# A finding of fusion/FINDINGS.md's rules starts or ends. The envelope's
# sessionTimeS is the initial contact of the step that decided it.
enum FindingState {
  started @0;   # the rule has fired long enough: the span so far
  ended @1;     # the rule stopped firing (or the session ended): the whole span
}

enum FindingCode {
  overstride @0;
  backseat @1;
  anteriorTilt @2;
  hipDrop @3;
  asymmetry @4;
  fatigueDrift @5;
  cadenceLow @6;
}

enum FindingSide {
  left @0;
  right @1;
  both @2;
}

struct Finding {
  state @0 :FindingState;
  code @1 :FindingCode;
  side @2 :FindingSide;
  metric @3 :Text;         # what value is: a steps.csv column, landingAngleDeg's "landing_angle_deg" or "braking_share"
  tStartS @4 :Float64;     # s, session time: initial contact of the span's first step
  tEndS @5 :Float64;       # s, session time: initial contact of the span's last step
  value @6 :Float64;       # the metric over the span, in unit
  threshold @7 :Float64;   # the rule's threshold, in unit
  unit @8 :Text;           # "deg", "m", "%", "steps/min", "share of stance"
  message @9 :Text;        # one sentence for a person
  steps @10 :UInt32;       # steps with a value in the span
  strength @11 :Float64;   # (value - threshold) / |threshold|, positive beyond it
}
# ---- end of 1.5 ----

# ---- since 1.6 (issue 16): drill mode ----------------------------------------
# fusion/DRILLS.md defines the exercises, the excursion and each tolerance.
enum DrillExercise {
  bridge @0;
  singleLegRdl @1;
  donkeyKick @2;
  bandedHipExtension @3;
  runningMan @4;
  pigeon @5;
}

enum DrillSide {
  left @0;
  right @1;
  both @2;      # two-footed (bridge), or each side in turn (a set summary's)
}

enum PelvisAxis {
  tilt @0;
  obliquity @1;
  rotation @2;
}

# Per axis, the signed departure of largest magnitude from the pose at the
# rep's start, deg, with fusion/FRAMES.md's signs.
struct PelvisExcursion {
  tiltDeg @0 :Float64;
  obliquityDeg @1 :Float64;
  rotationDeg @2 :Float64;
}

# The axes the exercise requires to stay still.
struct WatchedAxes {
  tilt @0 :Bool;
  obliquity @1 :Bool;
  rotation @2 :Bool;
}

# One repetition, at its end (the envelope's sessionTimeS = tEndS).
struct Rep {
  exercise @0 :DrillExercise;
  side @1 :DrillSide;            # the working side of this rep
  rep @2 :UInt32;                # 1-based over the set, both sides counted
  tStartS @3 :Float64;           # s, session time
  tEndS @4 :Float64;             # s, session time
  rangeOfMotionDeg @5 :Metric;   # deg, of the moving segment; absent with a reason
  hold :union {
    none @6 :Void;               # the exercise has no hold
    holdS @7 :Float64;           # s held in the hold position
  }
  excursion @8 :PelvisExcursion;
  watched @9 :WatchedAxes;
  toleranceDeg @10 :Float64;     # deg
  pelvisMoved @11 :Bool;         # a watched axis passed the tolerance in this rep
}

# Live feedback: a watched axis passed the tolerance during a rep, at most
# once per axis per rep. The envelope's sessionTimeS is the sample at which it did.
struct PelvisMoved {
  exercise @0 :DrillExercise;
  side @1 :DrillSide;
  rep @2 :UInt32;                # the rep in progress
  axis @3 :PelvisAxis;
  excursionDeg @4 :Float64;      # deg, signed, from the pose at the rep's start
  toleranceDeg @5 :Float64;      # deg
}

struct AxisSummary {
  meanAbsDeg @0 :Metric;         # deg, mean over reps of |excursion|
  worstDeg @1 :Metric;           # deg, the signed excursion of largest magnitude
}

struct DrillSideSummary {
  side @0 :DrillSide;
  reps @1 :UInt32;
  repsMoved @2 :UInt32;          # reps with pelvisMoved
  tilt @3 :AxisSummary;
  obliquity @4 :AxisSummary;
  rotation @5 :AxisSummary;
  meanDurationS @6 :Metric;      # s
  meanRangeOfMotionDeg @7 :Metric;  # deg
  meanHold :union {
    none @8 :Void;               # the exercise has no hold
    holdS @9 :Float64;           # s
  }
}

# The set summary, when the drill ends: one entry per side worked.
struct DrillSet {
  exercise @0 :DrillExercise;
  toleranceDeg @1 :Float64;
  watched @2 :WatchedAxes;
  sides @3 :List(DrillSideSummary);
}
# ---- end of 1.6 ----
