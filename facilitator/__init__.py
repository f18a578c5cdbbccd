"""The facilitator's screens: account, conference setup, live console, projector, QR poster."""

from facilitator import bank as _bank  # noqa: F401 - registers its routes on bp
from facilitator import forum as _forum  # noqa: F401 - registers its routes on bp
from facilitator import measure_exports as _measure_exports  # noqa: F401 - registers its routes on bp
from facilitator import measures as _measures  # noqa: F401 - registers its routes on bp
from facilitator import organisation as _organisation  # noqa: F401 - registers its routes on bp
from facilitator import overview as _overview  # noqa: F401 - registers its routes on bp
from facilitator.accounts import bp as accounts_bp
from facilitator.views import bp

bp.register_blueprint(accounts_bp)  # endpoints `facilitator.accounts.*`

__all__ = ["bp"]
