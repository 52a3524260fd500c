"""The testing kit: fakes and stand-ins shared by the tests, the benchmarks and the
simulator. Never imported by a service."""
