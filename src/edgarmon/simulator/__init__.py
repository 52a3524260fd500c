"""A simulated EDGAR for tests, the demo and benchmarks: recorded responses served
as a live EDGAR would, with simulated time, fair access and injectable faults."""
