"""Sessions checked again at the identity provider, so that polku notices what changed there.

A web UI session is a sealed cookie (:mod:`polku.server.oidc`) that lasts its hours. Not
everything a provider does posts a back-channel logout: Keycloak 26.5 disabling or deleting
a person posts none, and a role or organisation changed there says nothing to polku. So
the session keeps the provider's refresh token (the cookie is encrypted), and a session
whose last check is older than ``recheck_seconds`` (default 300) is checked again by the
next request that carries it, before any route sees that request
(:class:`SessionRecheck`, ASGI middleware):

- **refreshed**: the refresh token is exchanged at the token endpoint (with the client
  secret, as the sign-in's code is), the new tokens are verified as the sign-in's are, the
  person's roles, organisations and name are taken from them afresh, and the cookie is
  issued again (``Set-Cookie``) with the time of this check, the same session id, CSRF
  token, start and expiry. The request itself is answered with the fresh roles;
- **too large**: refreshed, but the new cookie (a new refresh token, more roles) would be
  larger than the 4,096 bytes a browser keeps (:func:`polku.server.oidc.kept_by_browsers`,
  the sign-in's own check). Sent anyway, the browser would drop it without a word and
  send the old cookie again and again, its refresh token perhaps rotated away. So the
  session ends as a refused one does (both refresh tokens, the old and the new, revoked
  at the provider), the log says so for the administrator, and the request is answered
  401 with the explanation a sign-in refused for it gives (a page for a browser, in the
  request's language), its cookie cleared;
- **refused** (``invalid_grant``: the person disabled or deleted, the provider's session
  ended or timed out; or valid tokens that name another person): the session ends as a
  sign-out ends it (:mod:`polku.server.sessions`, so every worker and every server over
  the folder agrees; its refresh token revoked at the provider, the refused one too:
  Keycloak takes a disabled person's token again once they are enabled; the other
  person's new one too), the request is answered as signed out (a write is 401, the pages
  offer "Sign in") and its cookie is cleared;
- **the provider cannot be reached** (or answers 5xx, or another error such as
  ``invalid_client``, or tokens that do not verify: a signing key not yet seen, a clock
  out of step, which are the provider's trouble and not the person's): the session is kept as it is while its last good check is less than
  ``recheck_seconds + grace_seconds`` old (default 300 + 900 s: a provider restarting
  signs no one out); past that it answers as signed out, without being ended, until the
  provider answers again. The log says when the provider cannot be reached (once for each
  outage) and when it answers again; while it cannot be, this process asks again at most
  every :data:`RETRY_SECONDS`;
- **expired**: a cookie that comes after its session expired (a browser drops it then;
  a request under way at that moment) has its refresh token revoked, once in each
  process, and is cleared.

What it costs: a request without the cookie, nothing; a request whose session was checked
lately, decrypting the cookie (tens of microseconds, on the event loop), once: the route's
access check reads it as decrypted here (:class:`polku.server.auth.Opened`, in the
request's own scope ``state``; only for the very cookie value the route reads, and whether
the session has ended is still looked up when the route asks). Requests of one
session that arrive together while it is being checked wait for that one check and share
its answer, and so do those that still carry the old cookie for a while after it (the
browser sent them before the new cookie arrived): one refresh per session and interval in
each process. Bearer JWTs are not sessions: each is checked by its own signature and
expiry on every request.

>>> due({"rt": "r", "chk": 1000}, recheck_seconds=300, now=1200)
False
>>> due({"rt": "r", "chk": 1000}, recheck_seconds=300, now=1300)
True
>>> due({"chk": 1000}, recheck_seconds=300, now=9999)  # no refresh token: nothing to check
False
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser

from polku.server.auth import OPENED, SESSION_COOKIE, Opened, unauthorized
from polku.server.contract import ApiError
from polku.server.oidc import (InvalidToken, cookie_path, Oidc, OtherPerson, ProviderRefused,
                               ProviderUnavailable, SessionTooLarge, kept_by_browsers,
                               set_cookie)
from polku.server.place import is_secure, route_path
from polku.server.serverlog import ServerLog
from polku.words import N_


#: while the provider cannot be reached, this process asks it again at most this often
RETRY_SECONDS = 30.0
#: how long a request waits for the check of its session that another request is making
#: (the token endpoint is given ten seconds)
WAIT_SECONDS = 15.0
#: the most sessions whose latest check a process remembers (older ones are forgotten first)
REMEMBERED = 10_000
#: the routes that are no place to check a session: the sign-in and sign-out set or clear
#: the cookie themselves, and a back-channel logout is the provider's own post
NOT_CHECKED = ("/auth/login", "/auth/callback", "/auth/logout", "/auth/backchannel-logout")

#: what a check of a session came to (:attr:`Outcome.kind`)
FRESH, ENDED, KEPT, LAPSED, TOO_LARGE = "fresh", "ended", "kept", "lapsed", "too-large"


def checked(claims: Mapping[str, Any]) -> int:
    """When a session was last checked at the provider: its ``chk``, else when it began."""
    at = claims.get("chk", claims.get("iat"))
    return at if isinstance(at, int) else 0


def due(claims: Mapping[str, Any], recheck_seconds: int, now: float) -> bool:
    """Whether a session is to be checked again: it has a refresh token, rechecks are on
    (``recheck_seconds`` above 0) and its last check is that old."""
    return recheck_seconds > 0 and isinstance(claims.get("rt"), str) and bool(claims["rt"]) \
        and now - checked(claims) >= recheck_seconds


def expired(claims: Mapping[str, Any] | None, now: float) -> bool:
    """Whether decrypted cookie ``claims`` are a session that has expired, with a refresh
    token still to revoke. A browser drops the cookie as it expires; one sent all the same
    (a request under way at that moment, a client that keeps cookies its own way) is the
    only sight polku has of it again.

    >>> expired({"use": "session", "jti": "j", "rt": "r", "exp": 1000}, now=1000)
    True
    >>> expired({"use": "session", "jti": "j", "rt": "r", "exp": 1001}, now=1000)
    False
    >>> expired({"use": "session", "jti": "j", "exp": 900}, now=1000), expired(None, 1000)
    (False, False)
    """
    return claims is not None and claims.get("use") == "session" \
        and isinstance(claims.get("jti"), str) and isinstance(claims.get("exp"), int) \
        and claims["exp"] <= now and isinstance(claims.get("rt"), str) and bool(claims["rt"])


@dataclass(frozen=True)
class Outcome:
    """What a check of a session came to: ``fresh`` (``value``: its new cookie, which
    ``expires`` then, holding ``claims``), ``ended``, ``too-large`` (ended: the refreshed
    session's cookie would be ``size`` bytes, more than a browser keeps), ``kept`` (the
    provider could not be reached, within the grace) or ``lapsed`` (could not be reached,
    past the grace: answered as signed out)."""
    kind: str
    value: str | None = None
    expires: int = 0
    claims: Mapping[str, Any] | None = None
    size: int = 0


class Rechecks:
    """The checks of one server process: which session is being checked now, what the
    latest check of each came to, and whether the provider could be reached lately.
    Thread-safe; :meth:`check` blocks (run it in a worker thread)."""

    def __init__(self, oidc: Oidc, said: ServerLog | None = None) -> None:
        self.oidc = oidc
        #: the server's log, in its language
        self.said = said or ServerLog(name="polku.server.recheck")
        self._lock = threading.Lock()
        self._running: dict[str, threading.Event] = {}
        #: session id -> (when checked, what it came to)
        self._done: dict[str, tuple[float, Outcome]] = {}
        #: until when the provider is not asked again (it could not be reached)
        self._down_until = float("-inf")
        self._down = False
        #: refreshes asked of the provider by this process
        self.refreshes = 0

    def due(self, claims: Mapping[str, Any]) -> bool:
        return due(claims, self.oidc.settings.recheck_seconds, self.oidc.clock())

    def check(self, value: str, opened: Opened | None = None) -> Outcome | None:
        """Check the session of the cookie ``value`` again (when it is still live and
        due): None when there is nothing to do. ``opened``: the cookie as the request
        decrypted it already."""
        claims = self.oidc.live_session(value, opened)
        if claims is None or not self.due(claims):
            return None
        jti = str(claims["jti"])
        with self._lock:
            known = self._remembered(jti)
            if known is not None:
                return known
            running = self._running.get(jti)
            if running is None:
                if self.oidc.clock() < self._down_until:
                    return self._unreachable(claims)
                mine = self._running[jti] = threading.Event()
        if running is not None:
            # another request of the session is checking it: its answer is this one's too
            running.wait(WAIT_SECONDS)
            with self._lock:
                known = self._remembered(jti)
            return known if known is not None else self._unreachable(claims)
        outcome = KEPT_OUTCOME
        try:
            outcome = self._refresh(claims)
        finally:
            with self._lock:
                if outcome.kind in (FRESH, ENDED, TOO_LARGE):
                    self._remember(jti, outcome)
                del self._running[jti]
            mine.set()
        return outcome

    def _refresh(self, claims: Mapping[str, Any]) -> Outcome:
        """One refresh at the provider, and what it comes to."""
        with self._lock:
            self.refreshes += 1
        given: list[object] = []  # a refresh token the provider gave as the session ends
        try:
            fresh = self.oidc.refresh(claims)
        except ProviderRefused as e:
            if e.error != "invalid_grant":
                return self._cannot_reach(claims, e)
            self.said.info(N_("a session ended: the identity provider no longer takes its "
                              "refresh token ({problem})"), problem=e)
        except OtherPerson as e:
            self.said.warning(N_("a session ended: {problem}"), problem=e)
            given.append(e.refresh_token)
        except (InvalidToken, ProviderUnavailable) as e:
            # tokens that do not check (a key not yet seen, a clock out of step) are the
            # provider's trouble, not the person's: kept within the grace, asked again
            return self._cannot_reach(claims, e)
        else:
            with self._lock:
                back, self._down, self._down_until = self._down, False, float("-inf")
            if back:
                self.said.warning(N_("the identity provider answers again: sessions are "
                                     "checked there again"))
            try:
                value = kept_by_browsers(self.oidc.reseal(fresh))
            except SessionTooLarge as e:
                # sent anyway, the browser would drop it without a word and send the old
                # cookie again, its refresh token maybe rotated away: a check at every
                # request. Ended instead, and the person told why (SessionRecheck)
                self.said.warning(N_("a session ended when it was checked again at the "
                                     "identity provider: {problem} (new roles, "
                                     "organisations or refresh token)"), problem=e)
                self.oidc.end_session(claims, also=[fresh.get("rt")])
                return Outcome(TOO_LARGE, size=e.size)
            return Outcome(FRESH, value, int(fresh["exp"]), claims=fresh)
        # the refused token is revoked all the same: the provider may refuse one token
        # and keep the grant it came from (one request, on a rare path)
        self.oidc.end_session(claims, also=given)
        return ENDED_OUTCOME

    def lapse(self, claims: Mapping[str, Any]) -> Outcome:
        """A session whose cookie came after it expired (:func:`expired`): its refresh
        token revoked at the provider, once in this process (a cookie sent again and again
        asks the provider once), and the cookie cleared as an ended session's is."""
        jti = str(claims["jti"])
        with self._lock:
            known = self._done.get(jti)
            if known is not None and known[1].kind == ENDED:
                return known[1]
            self._remember(jti, ENDED_OUTCOME)
        self.said.info(N_("a session came after it expired: its refresh token is revoked "
                          "at the identity provider"))
        self.oidc.revoke([claims.get("rt")])
        return ENDED_OUTCOME

    def _cannot_reach(self, claims: Mapping[str, Any], problem: Exception) -> Outcome:
        """The provider could not be asked: not again for a while, and the session kept
        within its grace."""
        settings = self.oidc.settings
        with self._lock:
            first, self._down = not self._down, True
            self._down_until = self.oidc.clock() + RETRY_SECONDS
        if first:
            self.said.warning(N_("sessions cannot be checked again at the identity provider "
                                 "({problem}): each is kept up to {seconds} s after its "
                                 "check was due, then answers as signed out until the "
                                 "provider answers"), problem=problem,
                              seconds=settings.grace_seconds)
        return self._unreachable(claims)

    def _unreachable(self, claims: Mapping[str, Any]) -> Outcome:
        settings = self.oidc.settings
        age = self.oidc.clock() - checked(claims)
        return KEPT_OUTCOME if age < settings.recheck_seconds + settings.grace_seconds \
            else LAPSED_OUTCOME

    def _remembered(self, jti: str) -> Outcome | None:
        """The latest check of the session when it was made lately (under the lock)."""
        known = self._done.get(jti)
        if known is None or self.oidc.clock() - known[0] >= self.oidc.settings.recheck_seconds:
            return None
        return known[1]

    def _remember(self, jti: str, outcome: Outcome) -> None:
        now = self.oidc.clock()
        fresh_for = self.oidc.settings.recheck_seconds
        if len(self._done) >= REMEMBERED:
            self._done = {k: v for k, v in self._done.items() if now - v[0] < fresh_for}
            while len(self._done) >= REMEMBERED:  # the oldest first (kept in insertion order)
                del self._done[next(iter(self._done))]
        self._done.pop(jti, None)
        self._done[jti] = (now, outcome)


KEPT_OUTCOME = Outcome(KEPT)
LAPSED_OUTCOME = Outcome(LAPSED)
ENDED_OUTCOME = Outcome(ENDED)


def session_value(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The session cookie's value among a request's headers.

    >>> session_value([(b"cookie", b"a=1; polku_session=abc.def")])
    'abc.def'
    >>> session_value([(b"cookie", b"a=1")]) is None
    True
    """
    found = None
    for key, value in headers:
        if key == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(SESSION_COOKIE, found)
    return found


def with_session(headers: list[tuple[bytes, bytes]], value: str | None
                 ) -> list[tuple[bytes, bytes]]:
    """The headers with the session cookie's value replaced by ``value`` (None: left out),
    every other cookie as it was.

    >>> with_session([(b"cookie", b"a=1; polku_session=old")], "new")
    [(b'cookie', b'a=1; polku_session=new')]
    >>> with_session([(b"cookie", b"polku_session=old; b=2")], None)
    [(b'cookie', b'b=2')]
    """
    out = []
    for key, content in headers:
        if key == b"cookie":
            parts = []
            for part in content.decode("latin-1").split(";"):
                name, sep, _ = part.strip().partition("=")
                if sep and name == SESSION_COOKIE:
                    if value is None:
                        continue
                    part = f"{SESSION_COOKIE}={value}"
                parts.append(part.strip())
            content = "; ".join(p for p in parts if p).encode("latin-1")
        out.append((key, content))
    return out


def cookie_header(value: str | None, seconds: int, secure: bool, path: str = "/"
                  ) -> tuple[bytes, bytes]:
    """The ``Set-Cookie`` header of the session cookie as the sign-in sets it (None: the
    cookie cleared), for the app's ``path`` (:func:`polku.server.oidc.cookie_path`)."""
    from starlette.responses import Response

    response = Response()
    set_cookie(response, SESSION_COOKIE, value, seconds, secure, path)
    return next((k, v) for k, v in response.raw_headers if k == b"set-cookie")


def handing_on(scope: Any, opened: Opened) -> Any:
    """The request's scope with its session cookie as opened for it, in a ``state`` of its
    own (a copy: no other request can see it)."""
    return dict(scope, state={**(scope.get("state") or {}), OPENED: opened})


def too_large(size: int) -> ApiError:
    """The answer to a request whose session ended when it was checked again: its
    refreshed cookie would be ``size`` bytes, more than a browser keeps. The same
    explanation as a sign-in refused for it, a 401 as for a session that has ended.

    >>> too_large(4310).message.startswith("the sign-in session has ended: the identity "
    ...                                    "provider renewed it, but its tokens make")
    True
    """
    return unauthorized(N_("the sign-in session has ended: the identity provider renewed "
                           "it, but {problem}"),
                        params={"problem": SessionTooLarge(size).problem})


def plain_error(request: Any, error: ApiError) -> Any:
    """An error answered in the API's error shape, in English (the app passes its own
    :func:`polku.app.error_response`: a page for a browser, in the request's language)."""
    from starlette.responses import JSONResponse

    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


class SessionRecheck:
    """ASGI middleware: a request whose session is due is checked at the provider
    (:class:`Rechecks`) before any route sees it; the route then reads the refreshed
    cookie, or an ended session, or (past the grace) none, and the answer carries the
    new cookie or clears the ended one (``Cache-Control: no-store``, whatever the route
    said: a shared cache must never keep a session's cookie for others). A session whose
    refreshed cookie would be too large for a browser ends, and the request is answered
    here, by ``refused`` (a request and an :class:`ApiError` to a response), saying why.

    The cookie is decrypted once, here: the route reads it as opened
    (:class:`polku.server.auth.Opened` in the scope's ``state``), the new one's claims
    when the session was refreshed, none when it ended."""

    def __init__(self, app: Callable, rechecks: Rechecks,
                 refused: Callable[[Any, ApiError], Any] = plain_error) -> None:
        self.app = app
        self.rechecks = rechecks
        self.refused = refused

    async def __call__(self, scope: Any, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or route_path(scope) in NOT_CHECKED:
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers") or [])
        value = session_value(headers)
        if value is None:
            await self.app(scope, receive, send)
            return
        # cheap on the event loop: decrypting the cookie, once a request; the check itself
        # in a thread
        oidc = self.rechecks.oidc
        opened = oidc.open_session(value)
        claims = oidc.holds(opened.claims, "session")
        if claims is None and expired(opened.claims, oidc.clock()):
            # over: its refresh token revoked, the cookie cleared as an ended one's
            outcome: Outcome | None = await run_in_threadpool(self.rechecks.lapse,
                                                              opened.claims or {})
        elif claims is None or not self.rechecks.due(claims):
            await self.app(handing_on(scope, opened), receive, send)
            return
        else:
            outcome = await run_in_threadpool(self.rechecks.check, value, opened)
        if outcome is None or outcome.kind == KEPT:
            await self.app(handing_on(scope, opened), receive, send)
            return
        if outcome.kind == LAPSED:
            await self.app(dict(scope, headers=with_session(headers, None)), receive, send)
            return
        secure = is_secure(scope)
        if outcome.kind == TOO_LARGE:
            from starlette.requests import Request

            response = self.refused(Request(scope, receive), too_large(outcome.size))
            set_cookie(response, SESSION_COOKIE, None, 0, secure, cookie_path(scope))
            response.headers["cache-control"] = "no-store"
            await response(scope, receive, send)
            return
        if outcome.kind == FRESH:
            # the route reads the new cookie, and its claims as they were sealed (a copy
            # of its own: requests that share one check share no dict)
            fresh = Opened(str(outcome.value), dict(outcome.claims or {}))
            scope = dict(handing_on(scope, fresh), headers=with_session(headers, outcome.value))
        else:  # ended: the route reads the cookie as a session that holds nothing
            scope = handing_on(scope, Opened(value, None))
        cookie = cookie_header(outcome.value if outcome.kind == FRESH else None,
                               outcome.expires - int(oidc.clock()), secure, cookie_path(scope))

        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                sent = list(message.get("headers", []))
                # a route that sets or clears the cookie itself has the last word
                if not any(k.lower() == b"set-cookie" and v.startswith(
                        SESSION_COOKIE.encode() + b"=") for k, v in sent):
                    # an answer carrying the session cookie is kept by no cache: one the
                    # route calls public (the icon, the API docs' assets) would otherwise
                    # hand this person's session to whoever a shared cache answers next
                    message = dict(message, headers=[
                        (k, v) for k, v in sent if k.lower() != b"cache-control"
                    ] + [cookie, (b"cache-control", b"no-store")])
            await send(message)

        await self.app(scope, receive, wrapped)


__all__ = ["Outcome", "Rechecks", "SessionRecheck", "RETRY_SECONDS", "checked", "due",
           "too_large"]
