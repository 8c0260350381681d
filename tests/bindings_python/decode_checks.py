"""stridefuse.decode_event against messages written without our encoder (the
`capnp encode` tool and the schema file), and against bad bytes: each check
prints a line, the script exits 1 at the first failure.

    decode_checks.py SCHEMA.capnp
"""

import subprocess
import sys

import stridefuse
from checks import expect, expect_raises

STEP_TEXT = """(schemaMajor = 1, schemaMinor = 0, athlete = "lab-7", sequence = 42, sessionTimeS = 12.5,
 body = (step = (side = right, index = 7, tIcS = 12.5, tToS = 12.74,
   contactTimeS = (value = 0.24), flightTimeS = (absent = noPreviousStep), cadenceSpm = (value = 171.5),
   strikeIndexPct = (value = 15.25), strikePattern = rearfoot, footStrikeDistanceM = (value = 0.27),
   brakingTimeS = (value = 0.1), stepLengthM = (absent = noSpeedSource), tiltIcDeg = (value = 4.5),
   obliquityIcDeg = (value = -1.25), rotationIcDeg = (value = 3.0), pelvicDropDeg = (value = 6.125),
   verticalOscillationM = (value = 0.085))))"""


def encode(schema, text):
    return subprocess.run(["capnp", "encode", schema, "EventMessage"], input=text.encode(), check=True,
                          capture_output=True).stdout


def expect_decode_error(payload, what, words):
    expect_raises(stridefuse.DecodeError, words, lambda: stridefuse.decode_event(payload), what)


def main():
    schema = sys.argv[1]
    expect(stridefuse.schema_version[0] == 1, f"schema_version {stridefuse.schema_version} has major 1")

    payload = encode(schema, STEP_TEXT)
    event = stridefuse.decode_event(payload)
    expect(event["kind"] == "step" and event["athlete"] == "lab-7" and event["sequence"] == 42,
           f"envelope decoded: {event['kind']} {event['athlete']} {event['sequence']}")
    expect(event["t_s"] == 12.5 and event["t_ic_s"] == 12.5 and event["t_to_s"] == 12.74, "times exact")
    expect(event["side"] == "right" and event["index"] == 7 and event["strike_pattern"] == "rearfoot",
           "side, index, strike pattern")
    expect(event["contact_time_s"] == 0.24 and event["cadence_spm"] == 171.5 and event["pelvic_drop_deg"] == 6.125
           and event["obliquity_ic_deg"] == -1.25, "metric values exact")
    # Written as by a 1.0 writer: a metric added since (1.7's uncertainty) is absent, not_detected.
    expect(event["flight_time_s"] is None and event["step_length_m"] is None
           and event["foot_strike_distance_uncertainty_m"] is None
           and event["absent"] == {"flight_time_s": "no_previous_step", "step_length_m": "no_speed_source",
                                   "foot_strike_distance_uncertainty_m": "not_detected"},
           f"absent metrics are None with their reasons: {event['absent']}")

    end = stridefuse.decode_event(encode(schema, '(schemaMajor = 1, schemaMinor = 0, athlete = "a", sequence = 0, '
                                                 'sessionTimeS = 30.0, body = (sessionEnd = (steps = 77)))'))
    expect(end["kind"] == "session_end" and end["steps"] == 77, "session_end decoded")

    # A later minor of our major is read; another major is not.
    later = stridefuse.decode_event(encode(schema, STEP_TEXT.replace("schemaMinor = 0", "schemaMinor = 9")))
    expect(later["schema"] == "1.9" and later["index"] == 7, "a later minor is accepted")
    expect_decode_error(encode(schema, STEP_TEXT.replace("schemaMajor = 1", "schemaMajor = 2")), "schema major 2",
                        ["major"])
    expect_decode_error(b"", "empty bytes", [])
    expect_decode_error(b"not a capnp message at all", "garbage", [])
    expect_decode_error(payload[: len(payload) // 2], "truncated message", [])
    # Whole words, so the Cap'n Proto reader itself meets the damage.
    expect_decode_error(payload[: len(payload) - 16], "message cut at a word boundary", [])
    expect_decode_error(bytes(range(7, 7 + 64)), "64 bytes of garbage", [])
    expect_decode_error(payload + b"\0" * 3, "trailing partial word", [])
    expect(issubclass(stridefuse.DecodeError, ValueError), "DecodeError is a ValueError")
    expect_raises(TypeError, [], lambda: stridefuse.decode_event("a str, not bytes"), "a str argument")
    print("OK: decode checks passed")


if __name__ == "__main__":
    main()
