"""confapp: run Norwegian dialogue conferences live. `create_app` is the one place it is assembled."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    instance = os.environ.get("CONFAPP_INSTANCE_PATH") or os.path.abspath("instance")
    app = Flask(__name__, instance_path=instance)

    from confapp import api, auth, config, db
    from confapp.live import realtime
    from confapp.ops import migrate
    from confapp.web import (
        compression,
        db_errors,
        i18n,
        limits,
        proxies,
        public_url,
        request_limits,
        security,
        templating,
    )

    config.load(app, test_config)
    public_url.init_app(app)
    db.init_app(app)
    db_errors.init_app(app)
    if app.config.get("AUTO_MIGRATE", True):
        migrate.upgrade(app.extensions["confapp_engine"])
    auth.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    csrf.init_app(app)
    security.init_app(app)
    compression.init_app(app)
    limits.init_app(app)
    request_limits.init_app(app)
    api.init_app(app)
    csrf.exempt(api.bp)  # the API checks the CSRF header itself, for cookie sessions only

    from facilitator import bp as facilitator_bp
    from participant_ui import bp as participant_bp

    app.register_blueprint(facilitator_bp)
    app.register_blueprint(participant_bp)
    realtime.init_app(app)
    proxies.init_app(app)  # outermost, so Socket.IO requests see the real client too
    return app
