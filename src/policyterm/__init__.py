"""policyterm: an interactive terminal explorer of foreign relations."""

__version__ = "0.1.0"
