"""Live sessions from Python on the simulated runner. One check per run:

    session_checks.py iterate     events by iteration: start, steps with sane values, end
    session_checks.py wire        callback events == the same events sent over ZeroMQ and
                                  decoded by stridefuse.Subscriber / decode_event
    session_checks.py errors      bad arguments and a raising callback become Python exceptions

Prints a line per check; exits 1 at the first failure.
"""

import _thread
import sys
import threading
import time

import stridefuse
from checks import expect, expect_raises


def check_steps(steps, cadence_spm):
    expect(len(steps) >= 6, f"{len(steps)} steps detected")
    expect(all(b["index"] == a["index"] + 1 for a, b in zip(steps, steps[1:])), "step indices consecutive")
    expect(all(a["side"] != b["side"] for a, b in zip(steps, steps[1:])),
           f"sides alternate: {[(s['index'], s['side'], round(s['t_ic_s'], 3)) for s in steps]}")
    expect(all(b["t_ic_s"] > a["t_ic_s"] for a, b in zip(steps, steps[1:])), "initial contacts in time order")
    contact = [s["contact_time_s"] for s in steps]
    expect(all(c is not None and 0.15 <= c <= 0.35 for c in contact), f"contact times in 0.15..0.35 s: {contact}")
    cadence = [s["cadence_spm"] for s in steps if s["cadence_spm"] is not None]
    expect(len(cadence) >= len(steps) - 2 and all(abs(c - cadence_spm) < 15 for c in cadence),
           f"cadence within 15 spm of the simulated {cadence_spm}: {[round(c) for c in cadence]}")


def iterate():
    events = []
    started = time.monotonic()
    session = stridefuse.Session(simulate=True, standing_s=1.0, duration_s=6.0, cadence_spm=165.0, seed=3,
                                 athlete="py-1")
    for event in session:
        events.append(event)
    elapsed = time.monotonic() - started
    kinds = [e["kind"] for e in events]
    expect(5.5 <= elapsed <= 15.0, f"iteration ended after the duration: {elapsed:.1f} s")
    expect(kinds[0] == "session_start" and events[0]["athlete"] == "py-1", "first event: session_start")
    expect(kinds[-1] == "session_end" and kinds.count("session_end") == 1, "last event: session_end")
    expect("attitude" in kinds and "device_status" in kinds, "attitude and device_status events arrive")
    steps = [e for e in events if e["kind"] == "step"]
    check_steps(steps, 165.0)
    expect(events[-1]["steps"] == len(steps) == session.steps, f"session_end counts {events[-1]['steps']} steps")
    expect(session.dropped == 0 and not session.running, "nothing dropped, session stopped")
    expect(all(d["samples"] > 0 and not d["disconnected"] for d in session.device_stats()), "device stats")
    expect(session.poll(0.0) is None, "poll after the end returns None")


def wire():
    in_process = []
    session = stridefuse.Session(simulate=True, standing_s=1.0, athlete="py-2", endpoint="tcp://127.0.0.1:*",
                                 callback=in_process.append)
    expect(session.endpoint.startswith("tcp://127.0.0.1:") and not session.endpoint.endswith("*"),
           f"wildcard port resolved: {session.endpoint}")
    with stridefuse.Subscriber(session.endpoint, "py-2/step") as decoded_sub, \
            stridefuse.Subscriber(session.endpoint, "py-2/") as raw_sub:
        time.sleep(0.5)  # let both subscriptions reach the publisher before the session starts
        session.run(5.0)
        decoded = []
        while (event := decoded_sub.receive(1.0)) is not None:
            decoded.append(event)
        raw = []
        while (message := raw_sub.receive_raw(1.0)) is not None:
            raw.append(message)
    steps = [e for e in in_process if e["kind"] == "step"]
    check_steps(steps, 170.0)
    envelope = ("schema", "athlete", "sequence", "provenance")
    expect([{k: v for k, v in e.items() if k not in envelope} for e in decoded] == steps,
           f"the {len(decoded)} steps via Subscriber equal the callback's {len(steps)}")
    provenance = [e["provenance"] for e in decoded]
    expect(all(p is not None and p["first_sample_s"] <= p["last_sample_s"]
               and p["last_arrival_s"] <= p["produced_s"] <= p["published_s"] for p in provenance),
           "every step's provenance: a span of samples; their arrival, fusion, publishing in that order")
    expect(all({s["stream_id"] for s in p["streams"]} >= {"left_insole", "right_insole", "pelvis_imu"}
               for p in provenance), "every step's provenance names the three streams")
    expect([e["sequence"] for e in decoded] == list(range(len(decoded))), "step sequence numbers 0, 1, 2, ...")
    expect(all(e["athlete"] == "py-2" and e["schema"].startswith("1.") for e in decoded), "envelope of every step")
    expect(all(topic.startswith("py-2/") for topic, _ in raw), "raw topics under the athlete")
    raw_steps = [stridefuse.decode_event(payload) for topic, payload in raw if topic == "py-2/step"]
    expect(raw_steps == decoded, "decode_event of the raw payloads equals Subscriber.receive")
    expect(in_process[-1]["kind"] == "session_end" and in_process[-1]["steps"] == len(steps),
           "callback saw session_end last")


def errors():
    expect_raises(ValueError, ["no device"], lambda: stridefuse.Session(), "no device")
    expect_raises(ValueError, ["exclude"], lambda: stridefuse.Session(simulate=True, devices=["tcp:127.0.0.1:1"]),
                  "simulate and devices")
    expect_raises(ValueError, ["athlete"], lambda: stridefuse.Session(simulate=True, athlete="a/b"), "athlete id")
    expect_raises(ValueError, ["speed"], lambda: stridefuse.Session(simulate=True, speed_mps=-1.0), "runner speed")
    expect_raises(ValueError, ["duration_s"], lambda: stridefuse.Session(simulate=True, duration_s=0.0), "duration")
    expect_raises(ValueError, ["simulate=True"], lambda: stridefuse.Session(devices=["tcp:127.0.0.1:1"], seed=2),
                  "runner parameters without simulate")
    expect_raises(ValueError, ["bogus:thing"], lambda: stridefuse.Session(devices=["bogus:thing"]).start(),
                  "bad device URI, when start() opens it")
    expect_raises(stridefuse.TransportError, ["/dev/nonexistent-tty"],
                  lambda: stridefuse.Session(devices=["serial:/dev/nonexistent-tty"]).start(), "missing serial device")
    expect_raises(TypeError, ["callable"], lambda: stridefuse.Session(simulate=True, callback=5), "callback type")
    expect_raises(ValueError, ["not-an-endpoint"], lambda: stridefuse.Subscriber("not-an-endpoint"), "bad endpoint")
    expect_raises(RuntimeError, ["start"], lambda: stridefuse.Session(simulate=True).poll(0.1), "poll before start")

    with stridefuse.Session(simulate=True, callback=lambda e: None) as session:
        expect_raises(RuntimeError, ["callback"], lambda: session.poll(0.1), "poll with a callback")
        expect_raises(RuntimeError, ["already started"], session.start, "second start")

    seen = []

    def failing(event):
        seen.append(event)
        if event["kind"] == "device_status":
            raise ZeroDivisionError("raised by the test's callback")

    session = stridefuse.Session(simulate=True, standing_s=1.0, callback=failing)
    started = time.monotonic()
    expect_raises(ZeroDivisionError, ["raised by the test's callback"], lambda: session.run(20.0),
                  "a callback's exception comes out of run()")
    expect(time.monotonic() - started < 10.0 and not session.running, "run() ended early and stopped the session")
    expect(seen[-1]["kind"] == "device_status", "no callback after the failing one")
    session.stop()  # a second stop is harmless and does not raise again
    expect(True, "second stop() is quiet")

    # Nobody takes the events: the queue fills, the engine goes on and the rest are counted as dropped.
    session = stridefuse.Session(simulate=True, standing_s=0.5, queue_capacity=8)
    session.run(2.5)
    taken = 0
    while session.poll(0.0) is not None:
        taken += 1
    expect(taken == 8 and session.dropped > 50 and session.steps >= 3,
           f"a full queue drops, the engine does not wait: {taken} kept, {session.dropped} dropped, "
           f"{session.steps} steps")

    # Ctrl-C while run() waits: KeyboardInterrupt, with the session stopped first.
    threading.Timer(1.5, _thread.interrupt_main).start()
    session = stridefuse.Session(simulate=True, standing_s=0.5, callback=lambda e: None)
    expect_raises(KeyboardInterrupt, [], session.run, "Ctrl-C during run()")
    expect(not session.running and session.steps >= 1, f"stopped after {session.steps} steps")


if __name__ == "__main__":
    {"iterate": iterate, "wire": wire, "errors": errors}[sys.argv[1]]()
    print(f"OK: {sys.argv[1]} checks passed")
