#!/usr/bin/python3
"""An independent subscriber: python3-zmq plus the `capnp decode` command line
and sdk/runtime/schema/events.capnp, none of stridefuse's code. Subscribes to a
publisher that cycles through the sample events of tests/sdk/event_samples.hpp,
decodes each payload with `capnp decode SCHEMA EventMessage`, parses capnp's
text output and checks every field against the values below. Exits 0 once each
event kind has been received and checked, 1 on any mismatch or timeout."""

import argparse
import math
import re
import subprocess
import sys
import time

import zmq

ATHLETE = "runner-7"

# Expected body of each kind, as capnp prints it (camelCase names, enumerant
# names), and the expected session time. Mirrors tests/sdk/event_samples.hpp.
EXPECTED = {
    "sessionStart": (0.0, {"athlete": "runner-7", "hostStartUnixNs": 1763800000123456789}),
    "sessionEnd": (1800.25, {"steps": 5321}),
    "step": (12.3456789012345, {
        "side": "right", "index": 4242, "tIcS": 12.3456789012345, "tToS": 12.5678,
        "contactTimeS": {"value": 0.2221},
        "flightTimeS": {"absent": "noPreviousStep"},
        "cadenceSpm": {"value": 178.25},
        "strikeIndexPct": {"value": 21.5},
        "strikePattern": "rearfoot",
        "footStrikeDistanceM": {"value": -0.031},
        "brakingTimeS": {"absent": "noPelvisSensor"},
        "stepLengthM": {"absent": "noSpeedSource"},
        "tiltIcDeg": {"value": 11.75},
        "obliquityIcDeg": {"value": -2.5},
        "rotationIcDeg": {"absent": "notCalibrated"},
        "pelvicDropDeg": {"value": 6.125},
        "verticalOscillationM": {"absent": "degradedInput"},
    }),
    "attitude": (3.0625, {
        "orientation": {"w": 0.9238795325112867, "x": 0.0, "y": 0.3826834323650898, "z": 0.0},
        "tiltDeg": 14.5, "obliquityDeg": -3.25, "rotationDeg": 7.875, "calibration": "firstStrides",
    }),
    "formAlert": (601.5, {"metric": "pelvic_drop_deg", "baseline": 5.5, "current": 8.25, "threshold": 2.0}),
    "deviceStatus": (99.875, {
        "streamId": "left_insole", "state": "degraded", "frames": 123456789012, "framesDropped": 17,
        "lateSamples": 3, "clockErrorBoundS": 0.00125, "message": 'crc errors: 17 "bad" packets\n',
        "clock": {"resets": 1, "wraps": 70000000000, "outOfOrder": 2, "duplicates": 3, "rejectedTicks": 5,
                  "strayTicks": 6, "hostTimeBackwards": 4, "absurdRates": 8, "driftPpm": {"value": -12.5},
                  "latencyCorrectionS": {"value": 0.0185}, "latencyResidualS": {"value": 0.00075}},
    }),
}

TOPIC_KIND = {"session_start": "sessionStart", "session_end": "sessionEnd", "step": "step",
              "attitude": "attitude", "form_alert": "formAlert", "device_status": "deviceStatus"}

TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[()\[\]=,])|(?P<atom>[^\s()\[\]=,"]+))')


def tokenize(text):
    pos, tokens = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot tokenize capnp text at {text[pos:pos + 20]!r}")
        pos = m.end()
        tokens.append(next((k, v) for k, v in m.groupdict().items() if v is not None))
    return tokens


def unescape(s):
    # capnp's text format escapes like C: \n, \t, \", \\, \xHH.
    return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def parse_value(tokens, i):
    kind, tok = tokens[i]
    if kind == "str":
        return unescape(tok), i + 1
    if kind == "atom":
        if re.fullmatch(r"-?(\d+)", tok):
            return int(tok), i + 1
        if re.fullmatch(r"-?(\d+\.?\d*([eE][-+]?\d+)?|inf|nan)", tok):
            return float(tok), i + 1
        return tok, i + 1  # an enumerant or void
    if tok == "(":
        fields, i = {}, i + 1
        while tokens[i][1] != ")":
            name = tokens[i][1]
            if tokens[i + 1][1] != "=":
                raise ValueError(f"expected '=' after {name}")
            fields[name], i = parse_value(tokens, i + 2)
            if tokens[i][1] == ",":
                i += 1
        return fields, i + 1
    if tok == "[":
        items, i = [], i + 1
        while tokens[i][1] != "]":
            item, i = parse_value(tokens, i)
            items.append(item)
            if tokens[i][1] == ",":
                i += 1
        return items, i + 1
    raise ValueError(f"unexpected token {tok!r}")


def parse_capnp_text(text):
    tokens = tokenize(text)
    value, end = parse_value(tokens, 0)
    if end != len(tokens):
        raise ValueError("trailing tokens in capnp output")
    return value


def same(expected, got, path, problems):
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            problems.append(f"{path}: expected a struct, got {got!r}")
            return
        for key, value in expected.items():
            if key not in got:
                problems.append(f"{path}.{key}: missing (got fields {sorted(got)})")
            else:
                same(value, got[key], f"{path}.{key}", problems)
    elif isinstance(expected, float):
        if not isinstance(got, (int, float)) or not (got == expected or (math.isnan(got) and math.isnan(expected))):
            problems.append(f"{path}: expected {expected!r}, got {got!r}")
    elif expected != got:
        problems.append(f"{path}: expected {expected!r}, got {got!r}")


def decode(schema, payload):
    run = subprocess.run(["capnp", "decode", schema, "EventMessage"], input=payload, capture_output=True)
    if run.returncode != 0:
        raise RuntimeError(f"capnp decode failed: {run.stderr.decode(errors='replace')}")
    return parse_capnp_text(run.stdout.decode())


def subscribe(endpoint, topic_prefix):
    """A SUB socket on endpoint for topic_prefix, with a 500 ms receive timeout. Returns (context, socket)."""
    context = zmq.Context()
    sub = context.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, 500)
    sub.setsockopt(zmq.SUBSCRIBE, topic_prefix.encode())
    sub.connect(endpoint)
    return context, sub


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()

    context, sub = subscribe(args.endpoint, f"{ATHLETE}/")

    checked, last_sequence, problems = set(), {}, []
    deadline = time.monotonic() + args.timeout
    while checked != set(EXPECTED) and time.monotonic() < deadline and not problems:
        try:
            parts = sub.recv_multipart()
        except zmq.Again:
            continue
        if len(parts) != 2:
            problems.append(f"message has {len(parts)} parts, expected [topic, payload]")
            break
        topic = parts[0].decode()
        athlete, _, topic_kind = topic.partition("/")
        if topic_kind == "heartbeat":
            continue  # the publisher's liveness message, not an event
        if athlete != ATHLETE:
            problems.append(f"unexpected topic {topic!r}")
            break
        kind = TOPIC_KIND.get(topic_kind)
        if kind is None:
            # A kind newer than the ones this reader checks (EVENTS.md: a
            # reader of an older minor rejects an unknown kind and reads
            # everything else).
            continue
        message = decode(args.schema, parts[1])
        same({"schemaMajor": 1, "athlete": ATHLETE}, message, topic, problems)
        body = message.get("body", {})
        if list(body) != [kind]:
            problems.append(f"{topic}: body is {list(body)}, expected [{kind}]")
            break
        t_s, fields = EXPECTED[kind]
        same(t_s, message.get("sessionTimeS"), f"{topic}.sessionTimeS", problems)
        same(fields, body[kind], f"{topic}.body.{kind}", problems)
        sequence = message.get("sequence")
        if topic in last_sequence and not sequence > last_sequence[topic]:
            continue  # a repeat: the publisher's snapshot for a subscriber that joined later
        last_sequence[topic] = sequence
        checked.add(kind)

    sub.close()
    context.term()
    if problems:
        print("FAIL:\n  " + "\n  ".join(problems))
        return 1
    if checked != set(EXPECTED):
        print(f"FAIL: timed out; checked {sorted(checked)}, missing {sorted(set(EXPECTED) - checked)}")
        return 1
    print(f"OK: {len(checked)} event kinds decoded with capnp decode and checked field by field")
    return 0


if __name__ == "__main__":
    sys.exit(main())
