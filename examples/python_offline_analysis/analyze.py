#!/usr/bin/python3
"""Offline analysis from Python: analyses a recordings directory (pelvis.csv,
left.csv + left_layout.json, right.csv + right_layout.json, speed.csv as
`stridefuse simulate` writes them) with the stridefuse module, or first
simulates one, and prints per-side summary statistics computed with numpy
from the returned arrays.

    PYTHONPATH=<build>/python python3 analyze.py --simulate 60
    PYTHONPATH=<build>/python python3 analyze.py --recordings DIR --speed 3.5 [--out DIR]
"""

import argparse
import sys
import tempfile

import numpy as np

try:
    import stridefuse
except ImportError as error:
    sys.exit(f"analyze.py: cannot import stridefuse ({error}); set PYTHONPATH to the module's directory "
             "(<build>/python in a build tree), see bindings/python/README.md")

# steps.csv column, unit and the scale printed.
SUMMARY_COLUMNS = [
    ("contact_time_s", "ms", 1e3),
    ("flight_time_s", "ms", 1e3),
    ("cadence_spm", "spm", 1.0),
    ("strike_index_pct", "%", 1.0),
    ("foot_strike_distance_m", "m", 1.0),
    ("braking_time_s", "ms", 1e3),
    ("step_length_m", "m", 1.0),
    ("tilt_ic_deg", "deg", 1.0),
    ("obliquity_ic_deg", "deg", 1.0),
    ("rotation_ic_deg", "deg", 1.0),
    ("pelvic_drop_deg", "deg", 1.0),
    ("vertical_oscillation_m", "m", 1.0),
]


def side_statistics(values):
    """(mean, standard deviation, number of steps with a value); an absent metric is NaN."""
    present = values[~np.isnan(values)]
    if present.size == 0:
        return None
    return float(np.mean(present)), float(np.std(present)), int(present.size)


def asymmetry_pct(left, right):
    """(L - R) / mean(L, R) * 100 %, fusion/METRICS.md; only for positive means:
    signed angles such as rotation at IC change sign with the side by nature."""
    if left is None or right is None or left[0] <= 0.0 or right[0] <= 0.0:
        return None
    return (left[0] - right[0]) / ((left[0] + right[0]) / 2.0) * 100.0


def print_summary(result):
    steps = result["steps"]
    sides = steps["side"]
    print(f"{sides.size} steps: {int(np.sum(sides == 'left'))} left, {int(np.sum(sides == 'right'))} right")
    print(f"{'metric':<24}{'left mean +- sd (n)':>28}{'right mean +- sd (n)':>28}{'asymmetry':>12}")
    for column, unit, scale in SUMMARY_COLUMNS:
        per_side = [side_statistics(steps[column][sides == side]) for side in ("left", "right")]
        cells = ["-" if s is None else f"{s[0] * scale:.3g} +- {s[1] * scale:.2g} {unit} ({s[2]})" for s in per_side]
        asym = asymmetry_pct(*per_side)
        print(f"{column:<24}{cells[0]:>28}{cells[1]:>28}{'-' if asym is None else f'{asym:+.1f} %':>12}")
    patterns, counts = np.unique(steps["strike_pattern"], return_counts=True)
    print("strike patterns: " + ", ".join(f"{p} {c}" for p, c in zip(patterns, counts)))
    attitude = result["attitude"]
    if attitude["t"].size:
        duration_s = attitude["t"][-1] - attitude["t"][0]
        print(f"pelvis attitude: {attitude['t'].size} samples over {duration_s:.1f} s, tilt "
              f"{np.percentile(attitude['tilt_deg'], 5):.1f} to {np.percentile(attitude['tilt_deg'], 95):.1f} deg "
              f"(5th-95th percentile)")
    for a in result["alignments"]:
        print(f"clock {a['stream_id']}: offset {a['offset_s']:.4f} s, drift {a['drift_ppm']:.1f} ppm, "
              f"residual {a['residual_s'] * 1e3:.2f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--recordings", help="directory with pelvis.csv and optional insole and speed files")
    source.add_argument("--simulate", type=float, metavar="SECONDS", help="simulate a session this long first")
    parser.add_argument("--speed", type=float, help="treadmill speed, m/s (with --simulate: the runner's speed)")
    parser.add_argument("--seed", type=int, default=1, help="with --simulate: the simulation's seed")
    parser.add_argument("--out", help="also write attitude.csv, steps.csv, events.jsonl, report.html here")
    args = parser.parse_args()

    try:
        if args.simulate is not None:
            with tempfile.TemporaryDirectory(prefix="stridefuse_example_") as recordings:
                speed = 3.5 if args.speed is None else args.speed
                written = stridefuse.simulate(recordings, duration_s=args.simulate, seed=args.seed, speed_mps=speed)
                print(f"simulated {args.simulate:g} s: {written['steps']} true steps, {written['pelvis_samples']} "
                      f"pelvis samples")
                result = stridefuse.analyze(recordings, args.out, speed_mps=speed)
        else:
            result = stridefuse.analyze(args.recordings, args.out, speed_mps=args.speed)
    except (ValueError, RuntimeError) as error:  # bad inputs, unreadable or malformed files
        print(f"analyze.py: {error}", file=sys.stderr)
        return 1
    print_summary(result)
    if args.out:
        print(f"wrote {args.out}/{{attitude.csv,steps.csv,events.jsonl,report.html}}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
