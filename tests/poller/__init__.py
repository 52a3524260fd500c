"""Tests of edgarmon's poller code."""
