"""Drill mode from Python (issue 16). One check per run:

    drill_checks.py live            a simulated set in a Session: rep, pelvis_moved and drill_set dicts
    drill_checks.py files REC OUT   analyze_drill over files `stridefuse simulate --drill` wrote into REC
    drill_checks.py errors          bad drill arguments become ValueError, naming what is wrong

Prints a line per check; exits 1 at the first failure.
"""

import json
import os
import sys

import stridefuse
from checks import expect, expect_raises


def live():
    # running-man: 3 reps of 1.6 s, the default fault (6 deg of obliquity) on rep 3, about 10 s in all.
    session = stridefuse.Session(simulate=True, drill="running-man", side="left", reps=3, seed=2, duration_s=11.5)
    events = list(session)
    kinds = [e["kind"] for e in events]
    reps = [e for e in events if e["kind"] == "rep"]
    moved = [e for e in events if e["kind"] == "pelvis_moved"]
    sets = [e for e in events if e["kind"] == "drill_set"]
    expect([r["rep"] for r in reps] == [1, 2, 3], f"three reps in order: {[r['rep'] for r in reps]}")
    expect(all(r["exercise"] == "running-man" and r["side"] == "left" for r in reps), "exercise and side on every rep")
    expect([r["pelvis_moved"] for r in reps] == [False, False, True], "only the faulty rep 3 moved")
    expect(len(moved) >= 1 and all(m["rep"] == 3 for m in moved), f"pelvis_moved on rep 3 only: {moved}")
    expect(abs(reps[2]["obliquity_deg"]) > reps[2]["tolerance_deg"], "rep 3's obliquity past the tolerance")
    expect(len(sets) == 1 and sets[0]["sides"][0]["reps"] == 3 and sets[0]["sides"][0]["reps_moved"] == 1,
           f"the set summary: {sets}")
    expect("step" not in kinds and kinds[-1] == "session_end", "no steps; session_end last")


def files(rec, out):
    with open(os.path.join(rec, "truth_clocks.json")) as f:
        offsets = {s["id"]: s["offset_s"] for s in json.load(f)["streams"]}
    result = stridefuse.analyze_drill(rec, out, exercise="pigeon", side="left",
                                      left_offset_s=offsets["pelvis_imu"] - offsets["left_insole"],
                                      right_offset_s=offsets["pelvis_imu"] - offsets["right_insole"])
    with open(os.path.join(rec, "truth_reps.csv")) as f:
        truth = [line.strip().split(",") for line in f][1:]
    expect(len(result["reps"]) == len(truth) == 5, f"every rep found: {len(result['reps'])} of {len(truth)}")
    faulty = [int(t[0]) for t in truth if t[-1] == "true"]
    flagged = [r["rep"] for r in result["reps"] if r["pelvis_moved"]]
    expect(flagged == faulty, f"the faulty reps flagged: {flagged} against {faulty}")
    for r, t in zip(result["reps"], truth):
        expect(abs(r["rotation_deg"] - float(t[8])) < 1.0,
               f"rep {r['rep']} rotation {r['rotation_deg']:.2f} against the truth's {float(t[8]):.2f} deg")
    expect(result["set"]["sides"][0]["reps"] == 5, "the set summary counts them")
    with open(os.path.join(out, "drill_set.json")) as f:
        expect(json.load(f) == result["set"], "drill_set.json holds the returned set")
    expect(os.path.exists(os.path.join(out, "report.html")), "report.html written")


def errors():
    expect_raises(ValueError, ["unknown exercise 'squat'", "bridge"],
                  lambda: stridefuse.Session(simulate=True, drill="squat"), "unknown exercise")
    expect_raises(ValueError, ["donkey-kick is one-sided"],
                  lambda: stridefuse.Session(simulate=True, drill="donkey-kick"), "missing side")
    expect_raises(ValueError, ["side", "'up'"],
                  lambda: stridefuse.Session(simulate=True, drill="bridge", side="up"), "bad side")
    expect_raises(ValueError, ["reps", "simulate=True"],
                  lambda: stridefuse.Session(devices=["tcp:127.0.0.1:1"], drill="bridge", reps=3), "reps without simulate")
    expect_raises(ValueError, ["speed_mps"],
                  lambda: stridefuse.Session(simulate=True, drill="bridge", speed_mps=3.0), "runner parameter with a drill")
    expect_raises(ValueError, ["tolerance"],
                  lambda: stridefuse.Session(simulate=True, drill="bridge", tolerance_deg=-2.0).start(), "bad tolerance")
    expect_raises(ValueError, ["a calibration hinge calibrates the hinge exercises", "not pigeon"],
                  lambda: stridefuse.Session(simulate=True, drill="pigeon", side="left", calibration_hinge=True),
                  "a calibration hinge for an exercise that does not hinge")
    expect_raises(ValueError, ["a calibration hinge calibrates the hinge exercises", "not running-man"],
                  lambda: stridefuse.analyze_drill(".", exercise="running-man", side="left", calibration_hinge=True),
                  "analyze_drill: a calibration hinge for an exercise that does not hinge")
    expect_raises(ValueError, ["side, tolerance_deg, reps and calibration_hinge go with drill="],
                  lambda: stridefuse.Session(simulate=True, side="left"), "a side without a drill")
    expect_raises(ValueError, ["pigeon is one-sided"],
                  lambda: stridefuse.analyze_drill(".", exercise="pigeon"), "analyze_drill without a side")


if __name__ == "__main__":
    mode = sys.argv[1]
    {"live": live, "errors": errors, "files": lambda: files(sys.argv[2], sys.argv[3])}[mode]()
    print(f"OK: {mode} checks passed")
