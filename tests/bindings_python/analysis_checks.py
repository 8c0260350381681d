"""stridefuse.simulate + stridefuse.analyze: the returned numpy tables against
the steps.csv and attitude.csv the same call wrote, and bad inputs.

    analysis_checks.py WORK_DIR

Prints a line per check; exits 1 at the first failure.
"""

import os
import sys

import numpy as np

import stridefuse
from checks import expect, expect_raises


def read_csv(path):
    """Header and columns of a CSV written by the SDK; empty fields (absent metrics) become NaN."""
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.rstrip("\n").split(",") for line in f]
    columns = {}
    for i, name in enumerate(header):
        cells = [r[i] for r in rows]
        try:
            columns[name] = np.array([float(c) if c else np.nan for c in cells])
        except ValueError:
            columns[name] = np.array(cells)
    return header, columns


def main():
    work = sys.argv[1]
    recordings, out = os.path.join(work, "recordings"), os.path.join(work, "analysis")
    written = stridefuse.simulate(recordings, duration_s=40.0, seed=5, speed_mps=3.2, standing_s=5.0)
    expect("pelvis.csv" in written["files"] and written["steps"] > 60, f"simulated: {written}")

    result = stridefuse.analyze(recordings, out, speed_mps=3.2)
    steps, attitude = result["steps"], result["attitude"]
    header, csv_steps = read_csv(os.path.join(out, "steps.csv"))
    expect(list(steps) == header, f"steps columns are the steps.csv header, in order: {header}")
    expect(all(isinstance(a, np.ndarray) and a.shape == (len(csv_steps["side"]),) for a in steps.values()),
           f"every steps column is a numpy array of the {len(csv_steps['side'])} steps.csv rows")
    expect(abs(len(steps["side"]) - written["steps"]) <= 3,
           f"{len(steps['side'])} steps found of {written['steps']} simulated")
    for name, column in steps.items():
        if column.dtype.kind == "U":
            expect(np.array_equal(column, csv_steps[name]), f"{name}: same text as steps.csv")
        else:
            # steps.csv has 6 significant digits; an absent metric is NaN in both.
            expect(np.allclose(column, csv_steps[name], rtol=1e-5, atol=1e-9, equal_nan=True),
                   f"{name}: same values as steps.csv")
    expect(set(steps["side"]) == {"left", "right"}, "both sides present")
    metrics = [m["name"] for m in stridefuse.step_metrics]
    expect(metrics == [name for name in header
                       if name not in ("side", "t_ic_s", "t_to_s", "strike_pattern", "gait_mode", "detected_by")],
           f"stridefuse.step_metrics are the metric columns of steps.csv, in order: {metrics}")
    expect(all(m["unit"] and m["meaning"] and "degraded_input" in m["absent_when"] for m in stridefuse.step_metrics),
           "every step metric has a unit, a meaning and its absent reasons")
    expect(abs(np.nanmedian(steps["step_length_m"]) - 3.2 * 60 / 170) < 0.1,
           f"median step length {np.nanmedian(steps['step_length_m']):.3f} m from the treadmill speed")

    att_header, csv_attitude = read_csv(os.path.join(out, "attitude.csv"))
    expect(list(attitude) == att_header, f"attitude columns are the attitude.csv header: {att_header}")
    expect(all(a.shape == csv_attitude["t"].shape for a in attitude.values()),
           f"every attitude column has the {csv_attitude['t'].size} attitude.csv rows")
    expect(np.allclose(attitude["t"], csv_attitude["t"], atol=1e-3), "attitude t as in attitude.csv")
    norm = np.sqrt(attitude["qw"] ** 2 + attitude["qx"] ** 2 + attitude["qy"] ** 2 + attitude["qz"] ** 2)
    expect(np.allclose(norm, 1.0, atol=1e-6), "unit quaternions")
    expect(len(result["alignments"]) == 2 and all("drift_ppm" in a for a in result["alignments"]),
           "one clock alignment per insole")
    expect(all(os.path.exists(os.path.join(out, f)) for f in ("events.jsonl", "report.html")),
           "events.jsonl and report.html written")

    # The findings and the relation (fusion/FINDINGS.md): as findings.json and relations.csv say.
    import json
    with open(os.path.join(out, "findings.json")) as f:
        expect(result["findings"] == json.load(f), "findings are findings.json's objects")
    rel_header, csv_relations = read_csv(os.path.join(out, "relations.csv"))
    expect(len(result["relations"]) == len(csv_relations["side"]) and len(result["relations"]) >= 4,
           f"{len(result['relations'])} relations, one per relations.csv row")
    expect(all(set(rel_header) <= set(r) and "each degree" in r["sentence"] for r in result["relations"]),
           "every relation has relations.csv's keys and its sentence")
    expect([r["scope"] for r in result["relations"]].count("session") == 4, "one whole-session relation per side and predictor")

    # Without output_dir nothing is written, the arrays are the same.
    again = stridefuse.analyze(recordings, speed_mps=3.2)
    expect(np.array_equal(again["steps"]["t_ic_s"], steps["t_ic_s"]), "analysis without output_dir: same steps")

    declared = stridefuse.analyze(recordings, speed_mps=3.2, same_clock=True)
    expect(all(a["offset_s"] == 0.0 and "not re-aligned" in a["note"] for a in declared["alignments"]),
           f"same_clock: insole files kept on their clocks: {declared['alignments']}")

    for call, kind, words, what in [
        (lambda: stridefuse.analyze(os.path.join(work, "missing")), ValueError, ["not a directory"], "missing dir"),
        (lambda: stridefuse.analyze(out), ValueError, ["pelvis.csv"], "dir without pelvis.csv"),
        (lambda: stridefuse.analyze(recordings, speed_mps=-1.0), ValueError, ["speed_mps"], "negative speed"),
        (lambda: stridefuse.analyze(recordings, leg_length_m=0.0), ValueError, ["leg_length_m"], "zero leg length"),
        (lambda: stridefuse.simulate(os.path.join(work, "x"), duration_s=-1.0), ValueError, ["duration"], "duration"),
    ]:
        expect_raises(kind, words, call, what)

    broken = os.path.join(work, "broken")
    os.makedirs(broken)
    with open(os.path.join(broken, "pelvis.csv"), "w") as f:
        f.write("t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.005,0,zero,9.8,0,0,0\n")
    expect(issubclass(stridefuse.RecordingFileError, RuntimeError), "RecordingFileError is a RuntimeError")
    expect_raises(stridefuse.RecordingFileError, ["pelvis.csv", "line 3", "zero"], lambda: stridefuse.analyze(broken),
                  "malformed pelvis.csv")
    print("OK: analysis checks passed")


if __name__ == "__main__":
    main()
