#!/usr/bin/python3
"""An independent subscriber to a live `stridefuse run --simulate` session:
python3-zmq and the `capnp decode` command line with the installed schema,
none of stridefuse's code. Receives until the session-end event, decodes
every message and checks the content (the session-start event may precede
our subscription: ZeroMQ's slow joiner; the first step comes after a standing
period, so every step must arrive): the athlete and schema version in every message, per-topic sequences without
gaps (repeats are the late-joiner snapshot), steps with alternating sides, plausible running contact times and
cadence, and the end event's step count equal to the steps received.
Exits 0 when all hold, 1 otherwise."""

import argparse
import os
import sys
import time

import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from sub_capnp_decode_client import decode, subscribe  # noqa: E402  (capnp decode + its text parser)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--athlete", required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    context, sub = subscribe(args.endpoint, f"{args.athlete}/")
    print("READY", flush=True)

    problems, kinds, steps, sequences = [], [], [], {}
    deadline = time.monotonic() + args.timeout
    end = None
    while end is None and time.monotonic() < deadline:
        try:
            topic, payload = sub.recv_multipart()
        except zmq.Again:
            continue
        topic = topic.decode()
        message = decode(args.schema, payload)
        if message.get("schemaMajor") != 1 or message.get("athlete") != args.athlete:
            problems.append(f"{topic}: envelope {message.get('schemaMajor')!r} {message.get('athlete')!r}")
        seq = message.get("sequence")
        if topic in sequences and seq <= sequences[topic]:
            continue  # the late-joiner snapshot repeats what we have, same sequence number (EVENTS.md 1.3)
        if topic in sequences and seq != sequences[topic] + 1:
            problems.append(f"{topic}: sequence {seq} after {sequences[topic]}")
        sequences[topic] = seq
        (kind, body), = message["body"].items()
        kinds.append(kind)
        if kind == "step":
            steps.append(body)
        elif kind == "sessionEnd":
            end = body

    sub.close()
    context.term()
    if end is None:
        problems.append(f"no sessionEnd within {args.timeout} s (received {len(kinds)} messages)")
    if end is not None and end.get("steps") != len(steps):
        problems.append(f"sessionEnd says {end.get('steps')} steps, received {len(steps)}")
    if len(steps) < 5:
        problems.append(f"only {len(steps)} steps")
    for a, b in zip(steps, steps[1:]):
        if a["side"] == b["side"]:
            problems.append(f"steps {a['index']} and {b['index']} are both {a['side']}")
        if not b["tIcS"] > a["tIcS"]:
            problems.append(f"step {b['index']} does not come after step {a['index']}")
    for s in steps:
        ct = s["contactTimeS"].get("value")
        if ct is None or not 0.15 <= ct <= 0.35:
            problems.append(f"step {s['index']}: contact time {s['contactTimeS']}")
        cad = s["cadenceSpm"].get("value")
        if cad is not None and not 140 <= cad <= 200:
            problems.append(f"step {s['index']}: cadence {cad}")
    if "deviceStatus" not in kinds:
        problems.append("no deviceStatus event")
    if problems:
        print("FAIL:\n  " + "\n  ".join(problems[:20]))
        return 1
    print(f"OK: {len(kinds)} messages decoded with capnp decode, {len(steps)} steps checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
