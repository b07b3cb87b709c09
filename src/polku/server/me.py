"""``GET /auth/me``: whom a request speaks for, on every server (docs/access.md).

A shared token names its holder (an admin: ``via`` ``token``), a bearer JWT or the
session cookie the signed-in person (:mod:`polku.server.oidc`), and a request without a
credential the public. Unlike every read of the figures, where a credential that is not
valid reads as the public's (:meth:`polku.server.auth.Access.reader`), a credential that
is not valid answers 401 here (``invalid_token``, RFC 6750): this is the one question
about the credential itself, which a script asks to learn that its token is wrong before
it writes.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from polku.server.auth import Access, Credentials, carries
from polku.server.contract import responses


def me_router(access: Access) -> APIRouter:
    """The router of ``/auth/me`` over ``access``."""
    router = APIRouter(prefix="/auth")

    @router.get("/me", responses=responses(401))
    async def me(request: Request) -> JSONResponse:
        """Who the request speaks for (a shared token, a bearer JWT or the session
        cookie): name, subject, role and roles, organisations, how (``via``) and the
        audience they read as; ``signed_in`` false without a credential (or with a
        session that has ended). A credential that is not valid answers 401
        (``invalid_token``): the one GET that does, as it is about the credential."""
        creds = Credentials.of_request(request)
        # judging a credential may ask the identity provider: in the thread pool
        who = await run_in_threadpool(access.principal, creds) if carries(creds) else None
        return JSONResponse(who.as_json() if who is not None else
                            {"signed_in": False, "audience": "public"})

    return router


__all__ = ["me_router"]
