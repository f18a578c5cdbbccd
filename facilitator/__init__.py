"""The facilitator's screens: account, conference setup, live console, projector, QR poster."""

from facilitator.views import bp

__all__ = ["bp"]
