"""What the check scripts here share: one printed line per check, exit 1 at
the first that fails (the GoogleTest wrapper shows the whole output)."""

import sys


def expect(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def expect_raises(kind, words, call, what):
    """`call()` raises `kind` (or a subclass) whose message contains every one of `words`."""
    try:
        call()
    except kind as error:
        message = str(error)
        expect(all(w in message for w in words), f"{what}: {kind.__name__} '{message}' mentions {words}")
        return
    except BaseException as error:  # noqa: BLE001 - the wrong kind is the failure being reported
        expect(False, f"{what}: raised {type(error).__name__} '{error}' instead of {kind.__name__}")
    expect(False, f"{what}: raises {kind.__name__}")
