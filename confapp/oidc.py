"""Feide / OpenID Connect login (`CONFAPP_OIDC_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET`) with Authlib.

Authlib does discovery, the authorisation code flow with PKCE (S256) and `state`, and checks the ID
token once. `verify_id_token` checks it again with our own rules and the nonce this browser was given,
and it is what decides who logs in: signature by the provider's published keys, the configured issuer,
our client id as audience (and `azp` when there are several), expiry, and the nonce.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from confapp.errors import N_, ServiceError

SCOPES = "openid email profile"  # nothing more: the account's e-mail, and a name to greet
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
LEEWAY = 60  # seconds of clock difference tolerated between the provider and us
NONCE_KEY = "confapp_oidc_nonce"
REFUSED = N_("The login could not be confirmed. Try again, or log in with your password.")


def configured(app: Flask | None = None) -> bool:
    cfg = (app or current_app).config
    return bool(cfg.get("OIDC_ISSUER") and cfg.get("OIDC_CLIENT_ID"))


def client() -> Any:
    return current_app.extensions["confapp_oidc"].oidc


def new_nonce() -> str:
    """A nonce for this browser's login attempt, kept in its (signed) session until the callback."""
    nonce = secrets.token_urlsafe(24)
    session[NONCE_KEY] = nonce
    return nonce


def take_nonce() -> str | None:
    return session.pop(NONCE_KEY, None)  # type: ignore[no-any-return]


def key_set(jwks: dict[str, Any]) -> KeySet:
    """The provider's published signing keys (its `jwks_uri`)."""
    return KeySet.import_key_set(jwks)  # type: ignore[arg-type]


def verify_id_token(
    raw: Any, *, keys: KeySet, issuer: str, client_id: str, nonce: str | None, now: int | None = None
) -> dict[str, Any]:
    """The ID token's claims if it is genuine, meant for us, current and answers our nonce."""
    if not isinstance(raw, str) or not nonce:
        raise ServiceError("oidc_refused", REFUSED)
    try:
        token = jwt.decode(raw, keys, algorithms=ALGORITHMS)
        JWTClaimsRegistry(
            now=now if now is not None else int(time.time()),
            leeway=LEEWAY,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        current_app.logger.warning("OpenID Connect ID token refused: %s", exc)
        raise ServiceError("oidc_refused", REFUSED) from None
    claims = dict(token.claims)
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise ServiceError("oidc_refused", REFUSED)
    return claims


def init_app(app: Flask) -> None:
    """Registers the provider only when configured; its discovery document is fetched on first use."""
    if not configured(app):
        return
    oauth = OAuth(app)
    issuer = str(app.config["OIDC_ISSUER"]).rstrip("/")
    oauth.register(
        "oidc",
        client_id=str(app.config["OIDC_CLIENT_ID"]),
        client_secret=str(app.config.get("OIDC_CLIENT_SECRET") or ""),
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "timeout": 15},
    )
    app.extensions["confapp_oidc"] = oauth
