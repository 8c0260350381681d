/*
 * stridefuse C API: live sessions and offline analysis for programs that
 * cannot link C++ (C, and any language with a C foreign-function interface).
 *
 * Conventions, as in libusb and ZeroMQ:
 *  - objects are opaque handles (sf_session*) created and destroyed by the API;
 *  - every call returns an int: SF_OK (0) on success, a negative sf_error code
 *    otherwise; results come back through pointer arguments;
 *  - sf_strerror(code) names a code; sf_last_error_message() gives the detail
 *    of the last failing call on the calling thread (the SDK's own message);
 *  - no C++ exception ever leaves a call.
 *
 * Threads: a session runs one reader thread per device and one fusion thread.
 * The event callback runs on the fusion thread. Other calls on one session
 * may come from any thread; sf_session_poll_event from several threads at
 * once is serialised.
 *
 * Units are in the names (_s, _mps, _spm, _deg, _m, _pct); session time is
 * seconds since the session's start, as in the C++ SDK (time conventions:
 * sdk/core/src/clock/README.md).
 */
#ifndef STRIDEFUSE_STRIDEFUSE_H
#define STRIDEFUSE_STRIDEFUSE_H

#include <stddef.h>
#include <stdint.h>

/* The library is built with hidden symbols; only SF_API calls are exported. */
#if defined(__GNUC__)
#define SF_API __attribute__((visibility("default")))
#else
#define SF_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Errors ------------------------------------------------------------ */

typedef enum sf_error {
  SF_OK = 0,
  SF_ERROR_NULL_ARGUMENT = -1,    /* a required pointer argument was NULL */
  SF_ERROR_INVALID_ARGUMENT = -2, /* a value the SDK rejects: athlete id, runner parameter, endpoint, URI */
  SF_ERROR_STATE = -3,            /* not allowed now: e.g. start twice, callback set after start */
  SF_ERROR_IO = -4,               /* a device, socket or file failed: cannot open, bind, read or write */
  SF_ERROR_NOT_FOUND = -5,        /* a file or directory does not exist; an index out of range */
  SF_ERROR_AGAIN = -6,            /* nothing available yet (poll): try again */
  SF_ERROR_TIMEOUT = -7,          /* the wait ended before what was waited for happened */
  SF_ERROR_NO_MEMORY = -8,        /* an allocation failed */
  SF_ERROR_INTERNAL = -99         /* an unexpected failure inside the SDK; the message says what */
} sf_error;

/* Name and meaning of an error code, e.g. "SF_ERROR_STATE: not allowed in
 * the current state". Never NULL; an unknown code gives "unknown error code".
 * The string is static. */
SF_API const char* sf_strerror(int code);

/* The detail of the last failing call on this thread (the SDK's exception
 * message, naming the problem), or "" when none failed yet. Valid until the
 * next failing call on this thread. Never NULL. */
SF_API const char* sf_last_error_message(void);

/* ---- Version ----------------------------------------------------------- */

/* The library's version (major.minor.patch) and the major/minor version of
 * the event schema it publishes (sdk/runtime/schema/events.capnp). Any pointer may be
 * NULL to skip that value. Errors: none. */
SF_API int sf_version(int* major, int* minor, int* patch, int* schema_major, int* schema_minor);

/* ---- Events ------------------------------------------------------------ */

/* Text fields of events are copied into fixed arrays of this many bytes,
 * cut to fit and always NUL-terminated. */
#define SF_TEXT_MAX 128

typedef enum sf_event_kind {
  SF_EVENT_SESSION_START = 0,
  SF_EVENT_SESSION_END = 1,
  SF_EVENT_STEP = 2,
  SF_EVENT_ATTITUDE = 3,
  SF_EVENT_FORM_ALERT = 4,
  SF_EVENT_DEVICE_STATUS = 5,
  SF_EVENT_FINDING = 6, /* since event schema 1.5: a form finding started or ended (fusion/FINDINGS.md) */
  SF_EVENT_REP = 7,          /* since event schema 1.6: a drill rep ended (fusion/DRILLS.md) */
  SF_EVENT_PELVIS_MOVED = 8, /* since event schema 1.6: during a drill rep the pelvis passed the tolerance */
  SF_EVENT_DRILL_SET = 9     /* since event schema 1.6: the drill's set summary, at its end */
} sf_event_kind;

typedef enum sf_side { SF_SIDE_LEFT = 0, SF_SIDE_RIGHT = 1 } sf_side;

typedef enum sf_strike_pattern {
  SF_STRIKE_UNKNOWN = 0,
  SF_STRIKE_REARFOOT = 1,
  SF_STRIKE_MIDFOOT = 2,
  SF_STRIKE_FOREFOOT = 3
} sf_strike_pattern;

/* Why a metric is absent (fusion/METRICS.md, "Absent, never zero"). */
typedef enum sf_absent_reason {
  SF_ABSENT_NONE = 0, /* present */
  SF_ABSENT_NO_PELVIS_SENSOR = 1,
  SF_ABSENT_NO_INSOLE = 2,
  SF_ABSENT_NO_SPEED_SOURCE = 3,
  SF_ABSENT_NO_PREVIOUS_STEP = 4,
  SF_ABSENT_NOT_CALIBRATED = 5,
  SF_ABSENT_DEGRADED_INPUT = 6,
  SF_ABSENT_NOT_DETECTED = 7,
  SF_ABSENT_NOT_FOR_WALKING = 8,    /* the estimator assumes running; the step was walking */
  SF_ABSENT_NO_INSOLE_GEOMETRY = 9, /* needs distances along the foot; the insole's length is unknown */
  SF_ABSENT_NO_LEFT_INSOLE = 10,    /* a right step's metric needs the left foot's next contact, which nothing times */
  SF_ABSENT_NO_RIGHT_INSOLE = 11    /* a left step's metric needs the right foot's next contact, which nothing times */
} sf_absent_reason;

/* The gait of a step: walking has double support, running a flight. */
typedef enum sf_gait_mode { SF_GAIT_UNKNOWN = 0, SF_GAIT_WALKING = 1, SF_GAIT_RUNNING = 2 } sf_gait_mode;

/* The sensor that timed a step's initial contact and toe-off (from the pelvis,
 * t_to_s is NaN when the toe-off was not found). */
typedef enum sf_step_source { SF_STEP_FROM_INSOLE = 0, SF_STEP_FROM_PELVIS = 1 } sf_step_source;

typedef enum sf_calibration {
  SF_CALIBRATION_NONE = 0,
  SF_CALIBRATION_STANDING = 1,
  SF_CALIBRATION_FIRST_STRIDES = 2
} sf_calibration;

typedef enum sf_device_state {
  SF_DEVICE_CONNECTED = 0,
  SF_DEVICE_STREAMING = 1,
  SF_DEVICE_DEGRADED = 2,
  SF_DEVICE_DISCONNECTED = 3,
  SF_DEVICE_RECONNECTING = 4 /* since event schema 1.4: the link is lost, the host is getting it back */
} sf_device_state;

/* A per-step metric: `value` means something only when `present` is 1;
 * otherwise `absent_reason` says why (and value is NaN). */
typedef struct sf_metric {
  double value;
  int present;
  int absent_reason; /* sf_absent_reason */
} sf_metric;

/* sf_step_event, one step (initial contact to toe-off, with its metrics as
 * in steps.csv: step.contact_time_s, ...), and the metric ids
 * SF_STEP_METRIC_CONTACT_TIME_S ... SF_STEP_METRIC_COUNT are generated by the
 * build from the SDK's table of step fields into this header: */
#include <stridefuse/stridefuse_step.h>

/* Metric `id` (an sf_step_metric_id) of `step` into *metric: every metric of
 * a step by number, whatever metrics this version has.
 * Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_NOT_FOUND (id out of range). */
SF_API int sf_step_metric(const sf_step_event* step, int id, sf_metric* metric);

/* Name (its steps.csv column and sf_step_event member, e.g. "contact_time_s")
 * and unit (e.g. "s", "steps/min") of metric `id`. Static strings; "unknown"
 * for an id out of range. */
SF_API const char* sf_step_metric_name(int id);
SF_API const char* sf_step_metric_unit(int id);

/* Pelvis attitude: quaternion sensor frame -> Z-up earth frame, and the
 * pelvic angles of fusion/FRAMES.md relative to neutral. */
typedef struct sf_attitude_event {
  double qw, qx, qy, qz;
  double tilt_deg;
  double obliquity_deg;
  double rotation_deg;
  int calibration; /* sf_calibration */
} sf_attitude_event;

typedef struct sf_form_alert_event {
  char metric[SF_TEXT_MAX]; /* steps.csv column name, e.g. "pelvic_drop_deg" */
  double baseline;
  double current;
  double threshold;
} sf_form_alert_event;

typedef struct sf_device_status_event {
  char stream_id[SF_TEXT_MAX];
  int state; /* sf_device_state */
  uint64_t frames;
  uint64_t frames_dropped;
  uint64_t late_samples;
  double clock_error_bound_s;
  char message[SF_TEXT_MAX]; /* empty when healthy */
} sf_device_status_event;

/* A form finding (fusion/FINDINGS.md): its rule, side, span, value and
 * threshold, and a sentence for a person. Since event schema 1.5. */
#define SF_MESSAGE_MAX 512

typedef enum sf_finding_state { SF_FINDING_STARTED = 0, SF_FINDING_ENDED = 1 } sf_finding_state;

typedef enum sf_finding_code {
  SF_FINDING_OVERSTRIDE = 0,
  SF_FINDING_BACKSEAT = 1,
  SF_FINDING_ANTERIOR_TILT = 2,
  SF_FINDING_HIP_DROP = 3,
  SF_FINDING_ASYMMETRY = 4,
  SF_FINDING_FATIGUE_DRIFT = 5,
  SF_FINDING_CADENCE_LOW = 6
} sf_finding_code;

typedef enum sf_finding_side { SF_FINDING_LEFT = 0, SF_FINDING_RIGHT = 1, SF_FINDING_BOTH = 2 } sf_finding_side;

typedef struct sf_finding_event {
  int state;                   /* sf_finding_state */
  int code;                    /* sf_finding_code */
  int side;                    /* sf_finding_side */
  char metric[SF_TEXT_MAX];    /* a steps.csv column, "landing_angle_deg" or "braking_share" */
  double t_start_s, t_end_s;   /* initial contacts of the span's first and last step, session time */
  double value, threshold;     /* in `unit` */
  char unit[SF_TEXT_MAX];      /* "deg", "m", "%", "steps/min", "share of stance" */
  char message[SF_MESSAGE_MAX];/* one sentence for a person, cut to fit */
  uint32_t steps;              /* steps with a value in the span */
  double strength;             /* (value - threshold) / |threshold|, positive beyond it */
} sf_finding_event;

/* Drill mode (fusion/DRILLS.md). Since event schema 1.6. */
typedef enum sf_drill_exercise {
  SF_DRILL_BRIDGE = 0,
  SF_DRILL_SINGLE_LEG_RDL = 1,
  SF_DRILL_DONKEY_KICK = 2,
  SF_DRILL_BANDED_HIP_EXTENSION = 3,
  SF_DRILL_RUNNING_MAN = 4,
  SF_DRILL_PIGEON = 5
} sf_drill_exercise;

/* The working side; BOTH: each side in turn, or the two-footed bridge. */
typedef enum sf_drill_side { SF_DRILL_LEFT = 0, SF_DRILL_RIGHT = 1, SF_DRILL_BOTH = 2 } sf_drill_side;

typedef enum sf_pelvis_axis { SF_AXIS_TILT = 0, SF_AXIS_OBLIQUITY = 1, SF_AXIS_ROTATION = 2 } sf_pelvis_axis;

/* One drill rep, at its end. Excursions: per pelvic axis the signed departure
 * of largest magnitude from the pose at the rep's start, degrees, with
 * fusion/FRAMES.md's signs; watch_* is 1 for an axis that must stay still. */
typedef struct sf_rep_event {
  int exercise; /* sf_drill_exercise */
  int side;     /* sf_drill_side: this rep's working side */
  uint32_t rep; /* 1-based over the set */
  double t_start_s, t_end_s;
  sf_metric range_of_motion_deg; /* of the moving segment */
  int has_hold;                  /* 1 when the exercise has a hold; hold_s is then its time, s */
  double hold_s;
  double tilt_deg, obliquity_deg, rotation_deg;
  int watch_tilt, watch_obliquity, watch_rotation;
  double tolerance_deg;
  int pelvis_moved; /* 1 when a watched axis passed the tolerance in this rep */
} sf_rep_event;

/* Live feedback: a watched axis passed the tolerance during rep `rep`. */
typedef struct sf_pelvis_moved_event {
  int exercise; /* sf_drill_exercise */
  int side;     /* sf_drill_side */
  uint32_t rep;
  int axis;             /* sf_pelvis_axis */
  double excursion_deg; /* signed, from the pose at the rep's start */
  double tolerance_deg;
} sf_pelvis_moved_event;

/* One side of a set. A metric is absent when no rep of the side had it. */
typedef struct sf_drill_side_summary {
  int side; /* sf_drill_side */
  uint32_t reps, reps_moved;
  sf_metric tilt_mean_abs_deg, tilt_worst_deg;
  sf_metric obliquity_mean_abs_deg, obliquity_worst_deg;
  sf_metric rotation_mean_abs_deg, rotation_worst_deg;
  sf_metric mean_duration_s, mean_range_of_motion_deg;
  int has_hold;
  double mean_hold_s;
} sf_drill_side_summary;

/* The set summary: one side (SF_DRILL_BOTH for the bridge, or the side
 * worked) or two (left, then right). */
typedef struct sf_drill_set_event {
  int exercise; /* sf_drill_exercise */
  double tolerance_deg;
  int watch_tilt, watch_obliquity, watch_rotation;
  uint32_t side_count; /* 0 to 2 */
  sf_drill_side_summary sides[2];
} sf_drill_set_event;

typedef struct sf_session_start_event {
  char athlete[SF_TEXT_MAX];
  uint64_t host_start_unix_ns; /* wall-clock time of session time zero */
} sf_session_start_event;

typedef struct sf_session_end_event {
  uint32_t steps;
} sf_session_end_event;

/* One event: `kind` says which member of `body` is filled. */
typedef struct sf_event {
  int kind;   /* sf_event_kind */
  double t_s; /* session time of the event (for a step: its initial contact) */
  union {
    sf_session_start_event session_start;
    sf_session_end_event session_end;
    sf_step_event step;
    sf_attitude_event attitude;
    sf_form_alert_event form_alert;
    sf_device_status_event device_status;
    sf_finding_event finding; /* since event schema 1.5 */
    sf_rep_event rep;                   /* since event schema 1.6 */
    sf_pelvis_moved_event pelvis_moved; /* since event schema 1.6 */
    sf_drill_set_event drill_set;       /* since event schema 1.6 */
  } body;
} sf_event;

/* Short names, as in topics and JSON ("step", "left", "rearfoot",
 * "no_speed_source", ...). Static strings; "unknown" for a value out of range. */
SF_API const char* sf_event_kind_name(int kind);
SF_API const char* sf_side_name(int side);
SF_API const char* sf_strike_pattern_name(int pattern);
SF_API const char* sf_absent_reason_name(int reason);
SF_API const char* sf_gait_mode_name(int mode);     /* "walking", "running", "unknown" */
SF_API const char* sf_step_source_name(int source); /* "insole", "pelvis"; "unknown" out of range */
SF_API const char* sf_finding_code_name(int code);   /* "overstride", ..., "cadence_low" (findings.json's code) */
SF_API const char* sf_finding_side_name(int side);   /* "left", "right", "both" */
SF_API const char* sf_finding_state_name(int state); /* "started", "ended" */
SF_API const char* sf_drill_exercise_name(int exercise); /* "bridge", "single-leg-rdl", ... (the command line's) */
SF_API const char* sf_drill_side_name(int side);         /* "left", "right", "both" */
SF_API const char* sf_pelvis_axis_name(int axis);        /* "tilt", "obliquity", "rotation" */

/* ---- Sessions ---------------------------------------------------------- */

typedef struct sf_session sf_session;

/* Called on the session's fusion thread for every event, in order. `event`
 * is valid only during the call. It must return quickly: the engine waits.
 * It may call sf_session_steps, _dropped and _device_stats, but not
 * sf_session_start, _stop, _wait or _destroy (they wait for the fusion thread). */
typedef void (*sf_event_callback)(const sf_event* event, void* user_data);

/* The built-in simulated runner (as `stridefuse run --simulate`). */
typedef struct sf_runner_options {
  double speed_mps;   /* running speed, also the treadmill speed the engine is given */
  double cadence_spm; /* steps per minute */
  double standing_s;  /* quiet standing before the first step (defines the neutral pelvis) */
  uint64_t seed;      /* same seed, same run */
} sf_runner_options;

typedef struct sf_session_options {
  const char* athlete; /* athlete id: letters, digits, '.', '_', '-'; first part of every topic */
  /* Source of data: either the simulated runner (simulate != 0) or devices. */
  int simulate;
  sf_runner_options runner;
  const char* const* device_uris; /* device_count URIs as `run --device` takes them:
                                     serial:PATH, /dev/..., tcp:HOST:PORT, usb:VVVV:PPPP, replay:FILE */
  size_t device_count;
  const char* driver;          /* driver for the devices; NULL: chosen per device as `run` does */
  double treadmill_speed_mps;  /* devices only: a treadmill's speed setting; 0: none */
  /* The session stops by itself after this long (see sf_session_wait); 0: runs until sf_session_stop. */
  double duration_s;
  /* ZeroMQ endpoint to publish on (e.g. "tcp://127.0.0.1:5556", "tcp://127.0.0.1:*"); NULL: no publishing. */
  const char* endpoint;
  /* Events kept for sf_session_poll_event; when full, further events are dropped (counted). 0: no pull access. */
  size_t poll_queue_capacity;
} sf_session_options;

/* Fills `options` with the defaults: athlete "athlete", simulated runner at
 * 3.5 m/s, 170 steps/min, 5 s standing, seed 1; no devices; no duration; no
 * publishing; a poll queue of 4096 events.
 * Errors: SF_ERROR_NULL_ARGUMENT. */
SF_API int sf_session_options_init(sf_session_options* options);

/* Creates a session from `options`: opens the simulated runner or the
 * devices, and binds the endpoint when one is given. Does not start it.
 * Errors: SF_ERROR_NULL_ARGUMENT (options, out, athlete, a NULL device URI),
 * SF_ERROR_INVALID_ARGUMENT (bad athlete id, runner parameter out of range,
 * both or neither of simulate and devices, negative duration or treadmill
 * speed, malformed URI or endpoint, unknown driver), SF_ERROR_IO (a device
 * cannot be opened, the endpoint cannot be bound), SF_ERROR_NO_MEMORY.
 * On error *out is set to NULL. */
SF_API int sf_session_create(const sf_session_options* options, sf_session** out);

/* Drill mode (fusion/DRILLS.md): reps of one exercise, with SF_EVENT_REP,
 * SF_EVENT_PELVIS_MOVED and, when the session stops, SF_EVENT_DRILL_SET
 * instead of steps. */
typedef struct sf_drill_options {
  int exercise;            /* sf_drill_exercise */
  int side;                /* sf_drill_side; SF_DRILL_BOTH for a one-sided exercise: each side in turn */
  double tolerance_deg;    /* of the axes that must stay still; 0: the exercise's default */
  uint32_t simulated_reps; /* with options->simulate: reps of the simulated set; 0: its default (10) */
  /* Nonzero (bridge, single-leg-rdl only): the set opens with one hinge on
   * both feet that calibrates the pelvis clip, not a rep (fusion/DRILLS.md,
   * "Calibration hinge"); with options->simulate the simulated athlete does
   * one. Added after the first drill release: fill the struct with
   * sf_drill_options_init. */
  int calibration_hinge;
} sf_drill_options;

/* Fills `drill` with the defaults: the bridge, both feet, its tolerance, 10 simulated reps, no calibration hinge.
 * Errors: SF_ERROR_NULL_ARGUMENT. */
SF_API int sf_drill_options_init(sf_drill_options* drill);

/* As sf_session_create, in drill mode. With options->simulate the source is
 * a simulated set of the exercise (options->runner.seed its seed; a pelvic
 * fault on two reps), with devices the devices. The runner's other settings
 * are not used.
 * Errors: as sf_session_create, and SF_ERROR_NULL_ARGUMENT (drill),
 * SF_ERROR_INVALID_ARGUMENT (exercise or side out of range, a negative or
 * non-finite tolerance, a calibration hinge for an exercise that does not
 * hinge, a sensor the exercise needs that the devices lack:
 * sf_last_error_message names it). */
SF_API int sf_session_create_drill(const sf_session_options* options, const sf_drill_options* drill,
                                   sf_session** out);

/* Stops the session if it runs and frees it. NULL is accepted (no-op).
 * Must not be called from the event callback. Errors: none. */
SF_API int sf_session_destroy(sf_session* session);

/* Registers the event callback (NULL removes it). Before sf_session_start only.
 * Errors: SF_ERROR_NULL_ARGUMENT (session), SF_ERROR_STATE (already started). */
SF_API int sf_session_set_callback(sf_session* session, sf_event_callback callback, void* user_data);

/* Starts the reader and fusion threads. A session starts once.
 * Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_STATE (started before). */
SF_API int sf_session_start(sf_session* session);

/* Stops reading, drains, finishes the engine and emits the session-end
 * event; returns when that is done. Calling it again, or on a session never
 * started, does nothing. Must not be called from the event callback.
 * Errors: SF_ERROR_NULL_ARGUMENT. */
SF_API int sf_session_stop(sf_session* session);

/* Waits until the session has stopped (its duration elapsed or another
 * thread stopped it), at most timeout_ms milliseconds (negative: no limit).
 * Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_STATE (never started),
 * SF_ERROR_TIMEOUT (still running after timeout_ms). */
SF_API int sf_session_wait(sf_session* session, int timeout_ms);

/* Takes the oldest queued event into *event, waiting up to timeout_ms
 * milliseconds for one (0: do not wait; negative: until one arrives or the
 * session has stopped and the queue is empty). Events are queued from the
 * start, whether or not a callback is set.
 * Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_STATE (poll_queue_capacity was 0),
 * SF_ERROR_AGAIN (no event within timeout_ms, or none left after stop). */
SF_API int sf_session_poll_event(sf_session* session, sf_event* event, int timeout_ms);

/* Steps emitted so far. Errors: SF_ERROR_NULL_ARGUMENT. */
SF_API int sf_session_steps(const sf_session* session, uint32_t* steps);

/* Events lost so far: `poll_queue` because the poll queue was full,
 * `publisher` because a ZeroMQ subscriber was too slow. Either pointer may be
 * NULL. Errors: SF_ERROR_NULL_ARGUMENT (session). */
SF_API int sf_session_dropped(const sf_session* session, uint64_t* poll_queue, uint64_t* publisher);

/* The endpoint actually bound (a wildcard port resolved), copied into
 * buffer (NUL-terminated). Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_STATE (no
 * endpoint was given), SF_ERROR_INVALID_ARGUMENT (buffer too small). */
SF_API int sf_session_endpoint(const sf_session* session, char* buffer, size_t size);

/* What one device has done so far. */
typedef struct sf_device_stats {
  char driver[SF_TEXT_MAX];
  char transport[SF_TEXT_MAX];
  uint64_t frames;          /* frames decoded */
  uint64_t malformed;       /* packets dropped: bad CRC, bad length, unknown type */
  uint64_t sequence_gaps;   /* packets the device sent that never arrived */
  uint64_t samples;         /* samples handed to the fusion thread */
  uint64_t queue_overflows; /* samples lost because the fusion thread fell behind */
  uint64_t clock_rejected;  /* frames whose tick was a duplicate or impossible */
  int disconnected;         /* 1 when the device is gone */
  char error[SF_TEXT_MAX];  /* why it disconnected, empty otherwise */
} sf_device_stats;

/* Number of devices of the session. Errors: SF_ERROR_NULL_ARGUMENT. */
SF_API int sf_session_device_count(const sf_session* session, size_t* count);

/* Statistics of device `index` (0 .. count-1, in the order given).
 * Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_NOT_FOUND (index out of range). */
SF_API int sf_session_device_stats(const sf_session* session, size_t index, sf_device_stats* stats);

/* ---- Offline analysis -------------------------------------------------- */

/* Analyses a recording directory as `stridefuse analyze` does and writes
 * attitude.csv, steps.csv, events.jsonl, metrics.csv and report.html into
 * output_dir (created when missing). The directory holds the files
 * `stridefuse simulate` writes, any set of them: pelvis.csv; left.csv +
 * left_layout.json and right.csv + right_layout.json (each insole with its
 * layout); speed.csv (optional). The analysis streams (memory does not grow with the
 * session's length) through temporary copies of the files in TMPDIR or /tmp,
 * about half the CSVs' size, gone when it returns.
 * Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_NOT_FOUND (input_dir missing, or
 * none of pelvis.csv, left.csv, right.csv in it), SF_ERROR_INVALID_ARGUMENT (an insole without its
 * layout, inconsistent inputs), SF_ERROR_IO (a file unreadable or malformed,
 * an output not writable, the temporary copy not writable). */
SF_API int sf_analyze(const char* input_dir, const char* output_dir);

/* As sf_analyze, with a treadmill's constant speed (0: none; not together
 * with speed.csv) and the body mass (0: unknown); *steps (may be NULL)
 * receives the number of steps found. Errors: as sf_analyze. */
SF_API int sf_analyze_with(const char* input_dir, const char* output_dir, double speed_mps, double body_mass_kg,
                           size_t* steps);

/* Foot-strike distance against one pelvis measure over a window of one
 * side's steps, or the whole session (fusion/FINDINGS.md, "The relation"):
 * the least-squares slope in cm per degree, its 95 % confidence interval, r. */
typedef enum sf_pelvis_predictor { SF_PREDICTOR_TILT_IC_DEG = 0, SF_PREDICTOR_PELVIC_DROP_DEG = 1 } sf_pelvis_predictor;

typedef struct sf_relation {
  int side;          /* sf_side */
  int predictor;     /* sf_pelvis_predictor */
  int whole_session; /* 1: over all the side's steps; 0: one window of 30 steps */
  double t_start_s, t_end_s;
  size_t steps;
  double slope_cm_per_deg, slope_ci_low_cm_per_deg, slope_ci_high_cm_per_deg;
  double r;
  double intercept_cm;
} sf_relation;

/* As sf_analyze_with, with the runner's leg length (0: unknown; the overstride
 * finding then reads the foot-strike distance instead of the landing angle),
 * also handing back the analysis's findings (findings.json: each an
 * sf_finding_event with state SF_FINDING_ENDED, over its whole span) and
 * relations (relations.csv's rows, windows first). Up to `finding_capacity`
 * findings go into `findings` and `relation_capacity` relations into
 * `relations` (either array may be NULL with capacity 0); *finding_count and
 * *relation_count (may be NULL) receive how many there are, which may be
 * more than fitted: call again with more room. Errors: as sf_analyze. */
SF_API int sf_analyze_findings(const char* input_dir, const char* output_dir, double speed_mps, double body_mass_kg,
                               double leg_length_m, sf_finding_event* findings, size_t finding_capacity,
                               size_t* finding_count, sf_relation* relations, size_t relation_capacity,
                               size_t* relation_count);

#ifdef __cplusplus
}
#endif

#endif /* STRIDEFUSE_STRIDEFUSE_H */
