"""Sign in (a session for the pages, or an API token), sign out, who am I, my tokens."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Path, Query, Request, Response, status

from itss.api.deps import CSRF_COOKIE, SESSION_COOKIE, Auth, Ctx, Server
from itss.api.schemas import (
    Credentials,
    Me,
    NewToken,
    Page,
    Paging,
    SessionOut,
    TokenOut,
    TokenRequest,
    paged,
)
from itss.errors import AuthenticationError
from itss.services import accounts
from itss.services.accounts import Issued
from itss.services.context import Context

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


async def sign_in(
    server: Context, request: Request, body: Credentials, kind: str, name: str
) -> Issued:
    """Sign in, counting a failure against the client's address (see `throttle`).

    Sign-ins take turns on a thread of their own: each spends about 0.15 s of a core
    hashing the password, and fifty people signing in at once on the threads every request
    shares held up everyone's reads for a second (a person's assessment: p95 up to 1 s
    while they signed in, 10 ms after)."""
    throttle = request.app.state.throttle
    throttle.check(_client(request))
    login = partial(accounts.login, server, body.username, body.password, kind=kind, name=name)
    try:
        return await to_thread.run_sync(login, limiter=request.app.state.signing)
    except AuthenticationError:
        throttle.failed(_client(request))
        raise


def start_session(server: Context, response: Response, issued: Issued) -> None:
    """The session's cookies: the session itself (HttpOnly) and its CSRF token."""
    seconds = server.settings.session_hours * 3600
    cookie = {"secure": True, "samesite": "lax", "max_age": seconds, "path": "/"}
    response.set_cookie(SESSION_COOKIE, issued.secret, httponly=True, **cookie)  # type: ignore[arg-type]
    response.set_cookie(CSRF_COOKIE, issued.credential.csrf or "", **cookie)  # type: ignore[arg-type]


def end_session(server: Context, response: Response, credential_id: int) -> None:
    accounts.logout(server, credential_id)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.post("/login", operation_id="login")
async def login(
    body: Credentials, request: Request, response: Response, server: Server
) -> SessionOut:
    """Sign in for the pages: a session cookie (HttpOnly, Secure, SameSite=Lax) and the CSRF
    token that every change made with it must send in the X-CSRF-Token header."""
    agent = request.headers.get("user-agent", "")
    issued = await sign_in(server, request, body, "session", agent)
    start_session(server, response, issued)
    return SessionOut(
        **_me(
            issued.account.username, issued.account.role, issued.account.person, issued.account.unit
        ),
        csrf_token=issued.credential.csrf or "",
        expires_at=issued.credential.expires_at,
    )


def _me(username: str, role: str, person: str | None, unit: str | None) -> dict[str, object]:
    return {"username": username, "role": role, "person": person, "unit": unit}


@router.post("/logout", operation_id="logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(server: Server, auth: Auth, response: Response) -> None:
    """End the session (or revoke the token) this request was made with."""
    end_session(server, response, auth.credential.id)


@router.get("/me", operation_id="me")
def me(auth: Auth) -> Me:
    actor = auth.actor
    return Me(username=actor.name, role=actor.role, person=actor.person, unit=actor.unit)


@router.post("/tokens", operation_id="createToken", status_code=status.HTTP_201_CREATED)
async def create_token(body: TokenRequest, request: Request, server: Server) -> NewToken:
    """An API token for a program, shown this once: send it as `Authorization: Bearer`."""
    issued = await sign_in(server, request, body, "token", body.name)
    found = issued.credential
    return NewToken(
        id=found.id,
        name=found.name,
        created_at=found.created_at,
        revoked_at=found.revoked_at,
        token=issued.secret,
    )


@router.get("/tokens", operation_id="listTokens")
def list_tokens(ctx: Ctx, paging: Annotated[Paging, Query()]) -> Page[TokenOut]:
    found = [
        TokenOut(id=t.id, name=t.name, created_at=t.created_at, revoked_at=t.revoked_at)
        for t in accounts.tokens(ctx)
    ]
    return paged(found, paging)


@router.delete(
    "/tokens/{token_id}", operation_id="revokeToken", status_code=status.HTTP_204_NO_CONTENT
)
def revoke_token(token_id: Annotated[int, Path(ge=1, le=2**62)], ctx: Ctx) -> None:
    accounts.revoke_token(ctx, token_id)
