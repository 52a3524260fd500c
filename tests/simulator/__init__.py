"""Tests of edgarmon's simulator code."""
