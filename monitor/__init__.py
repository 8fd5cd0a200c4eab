"""policywatch: watch privacy policies and alert on changes that matter."""

__version__ = "0.1.0"
