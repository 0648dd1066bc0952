"""The dependencies every route declares: the language, who is asking, their context."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from itss.api.language import lang_of
from itss.errors import AuthenticationError, PermissionDeniedError
from itss.services import accounts
from itss.services.accounts import Authenticated
from itss.services.context import Context

SESSION_COOKIE = "itss_session"
CSRF_COOKIE = "itss_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Declared for the OpenAPI document; checked below (auto_error off: our own 401 in JSON).
bearer = HTTPBearer(auto_error=False, description="an API token from POST /api/auth/tokens")
cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="a session")


def server_context(request: Request) -> Context:
    """The server's own context (settings, store, loaded framework), made at start-up."""
    context: Context = request.app.state.context
    return context


Server = Annotated[Context, Depends(server_context)]


def request_lang(request: Request, server: Server) -> str:
    return lang_of(request, server.settings.lang)


Lang = Annotated[str, Depends(request_lang)]


def authenticated(
    request: Request,
    server: Server,
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    session: Annotated[str | None, Depends(cookie)],
) -> Authenticated:
    """Who asks: an API token (Authorization: Bearer) or a session cookie. A change made
    with a session must carry the session's CSRF token in a header, which another site's
    page cannot read, so cannot send."""
    if token is not None:
        return accounts.authenticate(server, token.credentials)
    if session is None:
        raise AuthenticationError(key="auth.required")
    found = accounts.authenticate(server, session)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), (found.credential.csrf or "").encode()):
            raise PermissionDeniedError(key="auth.csrf", values={"header": CSRF_HEADER})
    return found


Auth = Annotated[Authenticated, Depends(authenticated)]


def acting_context(server: Server, auth: Auth) -> Context:
    return server.acting(auth.actor)


Ctx = Annotated[Context, Depends(acting_context)]
