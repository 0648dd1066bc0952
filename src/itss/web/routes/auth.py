"""Sign in and out, the language of the pages, and each role's first page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from itss.api.language import LANGS
from itss.api.routes.auth import end_session, sign_in, start_session
from itss.api.schemas import Credentials
from itss.errors import AuthenticationError, TooManyAttemptsError
from itss.services import accounts
from itss.web.session import LANG_COOKIE, SignedIn, Visitor, csrf_matches
from itss.web.session import Form as CheckedForm

router = APIRouter(include_in_schema=False)
HOME = {"member": "/me", "manager": "/reviews", "office": "/office/skill-map"}
YEAR = 365 * 24 * 3600


def local(target: str | None, fallback: str = "/") -> str:
    """A path on this site to go on to (never another site's address)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def home_of(role: str) -> str:
    return HOME.get(role, "/office/skill-map")


@router.get("/")
def home(page: Visitor) -> Response:
    if page.auth is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(home_of(page.auth.actor.role), status_code=303)


@router.get("/login")
def login_form(page: Visitor, next: str = "") -> Response:
    if page.auth is not None:
        return RedirectResponse(local(next, home_of(page.auth.actor.role)), status_code=303)
    return page.render("login.html", next=local(next, ""), username="", problem="")


@router.post("/login")
async def login(
    page: Visitor,
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        body = Credentials(username=username, password=password)
        agent = request.headers.get("user-agent", "")
        issued = await sign_in(page.server, request, body, "session", agent)
    except ValidationError:
        problem = page.t("web.login.empty")
        return page.render(
            "login.html", 422, next=local(next, ""), username=username, problem=problem
        )
    except AuthenticationError as refused:
        status = 429 if isinstance(refused, TooManyAttemptsError) else 401
        problem = refused.localized(page.lang)
        return page.render(
            "login.html", status, next=local(next, ""), username=username, problem=problem
        )
    response = RedirectResponse(local(next, home_of(issued.account.role)), status_code=303)
    start_session(page.server, response, issued)
    return response


@router.post("/logout")
def logout(page: SignedIn, form: CheckedForm) -> Response:
    assert page.auth is not None
    response = RedirectResponse("/login", status_code=303)
    end_session(page.server, response, page.auth.credential.id)
    return response


@router.post("/language")
async def language(request: Request, page: Visitor) -> Response:
    """Remember the chosen language (for a year in this browser, and with the account of a
    person signed in, for every browser) and show the page again."""
    form = await request.form()
    lang = str(form.get("lang") or "")
    response = RedirectResponse(local(str(form.get("next") or "/")), status_code=303)
    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=YEAR, samesite="lax", path="/")
        if csrf_matches(request, page, form):
            accounts.set_language(page.ctx, lang)
    return response
