"""The phone: join by QR or code, see your table, write the group's points, follow the plenary."""

from participant_ui import follow as _follow  # noqa: F401 - registers its routes on bp
from participant_ui.views import bp

__all__ = ["bp"]
