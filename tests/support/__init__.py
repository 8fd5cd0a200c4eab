"""Test helpers shared by every test module (see tests/support/pages.py for web pages)."""
