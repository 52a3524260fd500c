"""Tests of edgarmon's edgar_http code."""
