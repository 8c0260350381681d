#!/usr/bin/python3
"""A client of the event stream written from README.md, sdk/runtime/schema/EVENTS.md,
events.capnp and `stridefuse --help` only: python3-zmq, the `capnp decode` command
line and the schema; none of stridefuse's code (capnp's text output is parsed by
sub_capnp_decode_client.py's parser, itself independent of stridefuse).

Cases (each exits 0 and prints OK, or prints FAIL and why and exits 1):

  late-joiner --endpoint E --schema S --streams N
      Joins a running session late, three times. EVENTS.md 1.3: the snapshot
      comes first; following 1.1's rule (a sequence number not newer than one
      seen on its topic is a repeat, ignore it) the client must hold every
      stream's current state before the first live event, with no gap on the
      device_status topic.
  provenance --endpoint E --schema S --streams N
      EVENTS.md 2.1: every event carries its provenance; checks its fields on
      steps, attitude and device statuses, and that a subscriber on the same
      host can compute each event's latency from the event alone.
  csv-files --prefix P
      Reads the files of `stridefuse sub --format csv --output P` with Python's
      csv module: every file's header first, every row as long as its header,
      rolled files of one kind continuing each other's sequence numbers.
  strict-json
      Reads `stridefuse sub` JSON lines on standard input with a JSON reader
      that rejects a key given twice.
"""

import argparse
import collections
import csv
import glob
import json
import math
import os
import subprocess
import sys
import time

import zmq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sub_capnp_decode_client import parse_value, tokenize  # noqa: E402  (capnp's text format, not ours)

LIVE_KINDS = {"step", "attitude", "form_alert"}


def decode_all(schema, payloads):
    """`capnp decode` reads a stream of messages: one run for many payloads."""
    run = subprocess.run(["capnp", "decode", schema, "EventMessage"], input=b"".join(payloads), capture_output=True)
    if run.returncode != 0:
        raise RuntimeError(f"capnp decode failed: {run.stderr.decode(errors='replace')}")
    tokens, i, out = tokenize(run.stdout.decode()), 0, []
    while i < len(tokens):
        value, i = parse_value(tokens, i)
        out.append(value)
    if len(out) != len(payloads):
        raise RuntimeError(f"capnp decoded {len(out)} messages of {len(payloads)}")
    return out


def receive(endpoint, seconds, prefix=b""):
    """[(topic, payload, received wall-clock ns)] for `seconds` from a new SUB socket."""
    context = zmq.Context()
    sub = context.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, 100)
    sub.setsockopt(zmq.SUBSCRIBE, prefix)
    sub.connect(endpoint)
    got, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            topic, payload = sub.recv_multipart()
        except zmq.Again:
            continue
        got.append((topic.decode(), payload, time.time_ns()))
    sub.close()
    context.term()
    return got


def late_joiner(args, fail):
    for joiner in range(3):
        got = [m for m in receive(args.endpoint, 1.5) if not m[0].endswith("/heartbeat")]
        if not got:
            return fail(f"joiner {joiner}: nothing received")
        decoded = decode_all(args.schema, [p for _, p, _ in got])
        first_kind = got[0][0].split("/", 1)[1]
        if first_kind != "session_start":
            return fail(f"joiner {joiner}: the first message is {first_kind}, not the snapshot's session start")
        seen, state, gaps, live_seen = {}, {}, 0, False
        for (topic, _, _), message in zip(got, decoded):
            kind, sequence = topic.split("/", 1)[1], message["sequence"]
            if topic in seen and sequence <= seen[topic]:
                continue  # EVENTS.md 1.1: a repeat (the snapshot for someone else)
            if topic in seen and sequence > seen[topic] + 1:
                gaps += sequence - seen[topic] - 1
            seen[topic] = sequence
            if kind == "device_status":
                status = message["body"]["deviceStatus"]
                state[status["streamId"]] = status["state"]
            if kind in LIVE_KINDS and not live_seen:
                live_seen = True
                if len(state) != args.streams:
                    return fail(f"joiner {joiner}: at the first live event ({kind}) it knows the state of "
                                f"{sorted(state)}, not of all {args.streams} streams")
        if not live_seen:
            return fail(f"joiner {joiner}: no live event came after the snapshot")
        if gaps:
            return fail(f"joiner {joiner}: {gaps} sequence numbers missing: the rule would count them lost")
        print(f"joiner {joiner}: snapshot first, state of {sorted(state)} before the first live event, no gap")
    return True


def provenance(args, fail):
    got = [m for m in receive(args.endpoint, 3.0) if not m[0].endswith("/heartbeat")]
    decoded = decode_all(args.schema, [p for _, p, _ in got])
    start_ns, checked = None, collections.Counter()
    for (topic, _, received_ns), message in zip(got, decoded):
        kind = topic.split("/", 1)[1]
        if message["schemaMinor"] < 3:
            return fail(f"{topic}: schema 1.{message['schemaMinor']}: no provenance expected before 1.3")
        body = message["body"]
        if kind == "session_start":
            start_ns = body["sessionStart"]["hostStartUnixNs"]
        p = message.get("provenance")
        if p is None:
            return fail(f"{topic} #{message['sequence']}: no provenance")
        streams = {s["streamId"]: s["clockErrorBoundS"] for s in p["streams"]}
        if not p["producedS"] <= p["publishedS"]:
            return fail(f"{topic}: produced {p['producedS']} after published {p['publishedS']}")
        if kind in ("step", "attitude"):
            if not (p["firstSampleS"] <= p["lastSampleS"] and p["lastArrivalS"] <= p["producedS"]):
                return fail(f"{topic}: provenance out of order: {p}")
            if not all(0.0 <= bound < 1.0 for bound in streams.values()):
                return fail(f"{topic}: clock error bounds {streams}")
            if start_ns is not None:  # on the publisher's host: its wall clock gives session time
                latency_s = (received_ns - start_ns) * 1e-9 - p["lastArrivalS"]
                if not 0.0 <= latency_s < 1.0:
                    return fail(f"{topic}: latency from the last sample's arrival to here is {latency_s} s")
                checked[kind + " latency"] += 1
        if kind == "step":
            if set(streams) != {"left_insole", "right_insole", "pelvis_imu"}:
                return fail(f"step from streams {sorted(streams)}, expected both insoles and the pelvis")
            if p["firstSampleS"] != body["step"]["tIcS"]:
                return fail(f"step's samples start at {p['firstSampleS']}, its initial contact is {body['step']['tIcS']}")
        if kind == "attitude":
            if list(streams) != ["pelvis_imu"] or p["firstSampleS"] != message["sessionTimeS"]:
                return fail(f"attitude provenance {p}: expected its own pelvis sample")
        if kind == "device_status" and math.isnan(p["firstSampleS"]):  # the periodic status, from no sample
            if list(streams) != [body["deviceStatus"]["streamId"]]:
                return fail(f"device status provenance {p}")
        checked[kind] += 1
    for need in ("step", "attitude", "device_status", "step latency", "attitude latency"):
        if not checked[need]:
            return fail(f"no {need} checked (checked {dict(checked)})")
    print(f"checked {dict(checked)}")
    return True


def csv_files(args, fail):
    by_kind = collections.defaultdict(list)
    for path in sorted(glob.glob(args.prefix + ".*.csv")):
        by_kind[os.path.basename(path)[len(os.path.basename(args.prefix)) + 1:].split(".")[0]].append(path)
    if "step" not in by_kind or "attitude" not in by_kind:
        return fail(f"files of {sorted(by_kind)}: expected steps and attitude")
    for kind, paths in by_kind.items():
        header, last_sequence, rows = None, None, 0
        for path in paths:
            with open(path, newline="") as f:
                reader = csv.reader(f)
                this_header = next(reader)
                if header is not None and this_header != header:
                    return fail(f"{path}: another header than {paths[0]}")
                header = this_header
                for row in reader:
                    if len(row) != len(header):
                        return fail(f"{path}: a row of {len(row)} fields under {len(header)} columns")
                    fields = dict(zip(header, row))
                    sequence = int(fields["sequence"])
                    if last_sequence is not None and sequence != last_sequence + 1:
                        return fail(f"{path}: sequence {sequence} after {last_sequence}")
                    last_sequence = sequence
                    float(fields["t_s"])
                    rows += 1
        print(f"{kind}: {len(paths)} file(s), {rows} rows")
    if len(by_kind["attitude"]) < 2:
        return fail("the attitude table was not rolled over into a second file")
    return True


def strict_json(args, fail):
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        duplicated = {k for k in keys if keys.count(k) > 1}
        if duplicated:
            raise ValueError(f"key(s) {sorted(duplicated)} given twice")
        return dict(pairs)

    kinds = collections.Counter()
    for line in sys.stdin:
        try:
            event = json.loads(line, object_pairs_hook=no_duplicates)
        except ValueError as e:
            return fail(f"{e}: {line.strip()[:200]}")
        kinds[event["kind"]] += 1
    if not kinds["session_start"]:
        return fail(f"no session start among {dict(kinds)}")
    print(f"strict JSON: {dict(kinds)}")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", choices=["late-joiner", "provenance", "csv-files", "strict-json"])
    parser.add_argument("--endpoint")
    parser.add_argument("--schema")
    parser.add_argument("--streams", type=int, default=3)
    parser.add_argument("--prefix")
    args = parser.parse_args()
    problems = []

    def fail(what):
        problems.append(what)
        return False

    case = {"late-joiner": late_joiner, "provenance": provenance, "csv-files": csv_files,
            "strict-json": strict_json}[args.case]
    if not case(args, fail):
        print("FAIL: " + "; ".join(problems))
        return 1
    print(f"OK: {args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
