"""netbox-tui: plain-language questions to NetBox, exact answers in paged tables."""

__version__ = "0.1.0"
