"""The import pauses Python's cyclic collector while it reads and writes; the collector is the
process's, and imports run in several job threads of the web process at once. Found by review:
with a plain "was it on? turn it off ... turn it back on if it was" two overlapping imports
could leave it off for good (2 of 200 trials)."""

import gc
import threading

from dashapp.importer.pipeline import _collector_paused


def test_overlapping_pauses_leave_the_collector_as_it_was():
    assert gc.isenabled()
    first_in = threading.Event()
    second_in = threading.Event()
    first_out = threading.Event()
    seen = {}

    def first():
        with _collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with _collector_paused():
            second_in.set()
            first_out.wait(5)
            # The first import is done, this one still reads: still paused.
            seen["during"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"during": False}
    assert gc.isenabled()  # the last one out turned it back on


def test_a_collector_switched_off_by_the_host_stays_off():
    gc.disable()
    try:
        with _collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
