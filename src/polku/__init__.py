"""polku: regional service ecosystems as knowledge graphs."""

__version__ = "0.1.0"
