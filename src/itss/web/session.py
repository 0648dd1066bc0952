"""Who looks at a page, in which language, and the checks on what they send.

A page reads the same session cookie as the API. A page that needs a session sends a visitor
without one to the login page. Every form that changes something carries the session's CSRF
token (a hidden field, or htmx's header), which another site's page cannot read.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from itss.api.deps import CSRF_HEADER, SESSION_COOKIE, Server
from itss.api.language import LANGS, accepted
from itss.errors import AuthenticationError, PermissionDeniedError
from itss.i18n import tr
from itss.services import accounts
from itss.services.accounts import Authenticated
from itss.services.context import Actor, Context
from itss.web.templating import render

LANG_COOKIE = "itss_lang"
CSRF_FIELD = "csrf"
# What each role finds in the navigation, in order: (path, catalogue key).
NAVIGATION = {
    "member": [("/me", "web.nav.me"), ("/framework", "web.nav.framework")],
    "manager": [
        ("/reviews", "web.nav.reviews"),
        ("/people", "web.nav.people"),
        ("/office/skill-map", "web.nav.skill_map"),
        ("/framework", "web.nav.framework"),
    ],
    "office": [
        ("/people", "web.nav.people"),
        ("/office/skill-map", "web.nav.skill_map"),
        ("/office/distribution", "web.nav.distribution"),
        ("/office/gaps", "web.nav.gaps"),
        ("/office/imports", "web.nav.imports"),
        ("/office/jobs", "web.nav.jobs"),
        ("/framework", "web.nav.framework"),
    ],
}
ROLE_WORDS = {
    "member": "web.role.member",
    "manager": "web.role.manager",
    "office": "web.role.office",
    "admin": "web.role.admin",
}
NAVIGATION["admin"] = [("/reviews", "web.nav.reviews"), *NAVIGATION["office"]]


class SignInNeededError(Exception):
    """A page that needs a session was asked for without one: answered by the login page."""


def page_lang(request: Request, default: str, chosen: str | None = None) -> str:
    """`?lang=`, else the language the person chose (kept with their account, else in this
    browser), else their browser's."""
    asked_for = (request.query_params.get("lang"), chosen, request.cookies.get(LANG_COOKIE))
    for asked in asked_for:
        if asked in LANGS:
            return asked
    return accepted(request.headers.get("accept-language", ""), default)


@dataclass
class Page:
    """One page being answered: the request, its language, the visitor and their context."""

    request: Request
    server: Context
    lang: str
    auth: Authenticated | None

    def t(self, key: str, /, **values: Any) -> str:
        return tr(key, self.lang, **values)

    @property
    def actor(self) -> Actor:
        if self.auth is None:
            raise SignInNeededError
        return self.auth.actor

    @cached_property
    def ctx(self) -> Context:
        return self.server.acting(self.actor)

    def render(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        actor = self.auth.actor if self.auth else None
        common = {
            "me": actor,
            "csrf": self.auth.credential.csrf if self.auth else "",
            "nav": NAVIGATION.get(actor.role, []) if actor else [],
            "role_word": ROLE_WORDS.get(actor.role, "web.role.member") if actor else "",
            "path": self.request.url.path,
            "here": str(self.request.url.path)
            + (f"?{self.request.url.query}" if self.request.url.query else ""),
        }
        html = render(name, self.lang, common | values)
        return HTMLResponse(html, status_code=status)


def visitor(request: Request, server: Server) -> Page:
    """The page's visitor, signed in or not (a session no longer valid counts as none)."""
    secret = request.cookies.get(SESSION_COOKIE)
    found = None
    if secret:
        try:
            found = accounts.authenticate(server, secret)
        except AuthenticationError:
            found = None
    lang = page_lang(request, server.settings.lang, found.lang if found else None)
    return Page(request, server, lang, found)


Visitor = Annotated[Page, Depends(visitor)]


def signed_in(page: Visitor) -> Page:
    if page.auth is None:
        raise SignInNeededError
    return page


SignedIn = Annotated[Page, Depends(signed_in)]


def csrf_matches(request: Request, page: Page, form: FormData) -> bool:
    """Whether the form (or htmx's header) carries the session's CSRF token."""
    if page.auth is None or not page.auth.credential.csrf:
        return False
    sent = str(form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, ""))
    return hmac.compare_digest(sent.encode(), page.auth.credential.csrf.encode())


async def checked_form(request: Request, page: SignedIn) -> FormData:
    """The form sent, once its CSRF token is the session's."""
    form = await request.form()
    if not csrf_matches(request, page, form):
        raise PermissionDeniedError(key="web.form_expired")
    return form


Form = Annotated[FormData, Depends(checked_form)]
