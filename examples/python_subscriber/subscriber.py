#!/usr/bin/python3
"""A lab integrator's subscriber: connects to a live stridefuse publisher and
prints every event it receives, decoded, one line each (attitude events, 50
per second, are counted, and printed only with --attitude).

    stridefuse run --simulate --endpoint tcp://127.0.0.1:5556 &
    PYTHONPATH=<build>/python python3 subscriber.py --endpoint tcp://127.0.0.1:5556

Stops at the session-end event, after --max-events events, or when no event
arrived for --timeout seconds. At the end it prints a summary with the
messages lost in transit, found from the per-topic sequence numbers (a number
seen before is the publisher's snapshot for late joiners: skipped), and the
publisher heartbeats received (they are not events).
Exit status: 0 after the session end or --max-events events, 1 when it gave up
waiting, 2 on bad usage.
"""

import argparse
import sys

try:
    import stridefuse
except ImportError as error:
    sys.exit(f"subscriber.py: cannot import stridefuse ({error}); set PYTHONPATH to the module's directory "
             "(<build>/python in a build tree), see bindings/python/README.md")


def metric(event, column, unit, scale=1.0, digits=0):
    value = event.get(column)
    return "-" if value is None else f"{value * scale:.{digits}f}{unit}"


def describe(event):
    """One line per event: kind, sequence, session time, then what matters for that kind."""
    head = f"{event['kind']:<14} #{event['sequence']:<5} t={event['t_s']:8.3f}s"
    kind = event["kind"]
    if kind == "step":
        return (f"{head} step {event['index']} {event['side']:<5} contact {metric(event, 'contact_time_s', 'ms', 1e3)}"
                f" cadence {metric(event, 'cadence_spm', 'spm')} {event['strike_pattern']}"
                f" fsd {metric(event, 'foot_strike_distance_m', 'm', digits=2)}"
                f" tilt {metric(event, 'tilt_ic_deg', 'deg', digits=1)}"
                f" drop {metric(event, 'pelvic_drop_deg', 'deg', digits=1)}")
    if kind == "attitude":
        return (f"{head} tilt {event['tilt_deg']:.1f}deg obliquity {event['obliquity_deg']:.1f}deg"
                f" rotation {event['rotation_deg']:.1f}deg ({event['calibration']})")
    if kind == "device_status":
        return (f"{head} {event['stream_id']} {event['state']} frames {event['frames']}"
                f" dropped {event['frames_dropped']} {event['message']}")
    if kind == "form_alert":
        return (f"{head} {event['metric']} baseline {event['baseline']:.3f} now {event['current']:.3f}"
                f" (threshold {event['threshold']:.3f})")
    if kind == "session_start":
        return f"{head} athlete {event['athlete']}"
    if kind == "session_end":
        return f"{head} {event['steps']} steps"
    return f"{head} {event}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", default="tcp://127.0.0.1:5556", help="where the publisher binds")
    parser.add_argument("--topic", default="", help="topic prefix: '' everything, 'runner-7/' one athlete, "
                                                    "'runner-7/step' one kind")
    parser.add_argument("--timeout", type=float, default=30.0, help="give up after this long without an event, s")
    parser.add_argument("--max-events", type=int, default=0, help="stop after this many events (0: no limit)")
    parser.add_argument("--attitude", action="store_true", help="print attitude events too")
    args = parser.parse_args()

    received, last_sequence, lost, repeats, counts = 0, {}, 0, 0, {}
    ended = False
    with stridefuse.Subscriber(args.endpoint, args.topic) as subscriber:
        print(f"subscribed to {args.endpoint} topic '{args.topic}'", flush=True)
        while not ended and (args.max_events == 0 or received < args.max_events):
            try:
                event = subscriber.receive(timeout_s=args.timeout)
            except stridefuse.DecodeError as error:  # not a stridefuse event: say so, keep listening
                print(f"undecodable message: {error}", flush=True)
                continue
            if event is None:
                print(f"nothing for {args.timeout:g} s, giving up", flush=True)
                break
            topic = f"{event['athlete']}/{event['kind']}"
            # A gap in a topic's sequence is lost messages; a number seen before is a
            # repeat (the publisher's snapshot of the session for late joiners).
            if topic in last_sequence and event["sequence"] <= last_sequence[topic]:
                repeats += 1
                continue
            if topic in last_sequence:
                lost += event["sequence"] - last_sequence[topic] - 1
            last_sequence[topic] = event["sequence"]
            received += 1
            counts[event["kind"]] = counts.get(event["kind"], 0) + 1
            if event["kind"] != "attitude" or args.attitude:
                print(describe(event), flush=True)
            ended = event["kind"] == "session_end"
        heartbeats = subscriber.heartbeats

    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    print(f"received {received} events ({summary or 'none'}), {lost} lost in transit, {repeats} repeats skipped, "
          f"{heartbeats} publisher heartbeats", flush=True)
    return 0 if ended or (args.max_events and received >= args.max_events) else 1


if __name__ == "__main__":
    sys.exit(main())
