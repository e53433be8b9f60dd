"""Fixtures shared by the build tests: the small 'fault' brief of test_faults.py and its published copy."""

from tests.build.test_faults import fault_brief, published  # noqa: F401 - fixtures for every test under tests/build
