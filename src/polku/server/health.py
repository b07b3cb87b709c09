"""Health probes for a load balancer or a monitor: ``/healthz`` (the process answers) and
``/readyz`` (every graph served is readable and its change log takes writes).

Both are public and cheap: they name graphs and what is wrong with them as ``/api/graphs``
does (a people cell named, never quoted), and nothing of who reads or writes. The
readiness probe reads a change log again only when its file changed (size, time, inode).
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, PlainTextResponse

from polku.errors import PolkuError
from polku.ops.changelog import BrokenChangeLog
from polku.present.i18n import Translator
from polku.server.contract import problem_worded, problems_listed, relative, responses
from polku.server.language import api_language
from polku.server.store import GraphStore

#: a probe's answer is about this moment: no cache keeps it
NO_STORE = {"Cache-Control": "no-store"}


class LogChecks:
    """Whether each graph's change log can be read, kept while its file stays as it was:
    a probe every few seconds reads no log again that did not change."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._known: dict[str, tuple[object, PolkuError | None]] = {}

    def problem(self, name: str) -> PolkuError | None:
        """The change log's problem (a line polku did not write), named relative to the
        served folder; None when it reads (or there is none yet)."""
        log = self.store.changelog(name)
        stamp = self.store.log_stamp(name)
        if stamp is None:
            return None  # no log yet: the first write makes it
        with self._lock:
            known = self._known.get(name)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            log.entries()
            found = None
        except BrokenChangeLog as e:
            found = relative(e, log.path.parent.parent)  # .polku/NAME.changes.jsonl
            self.store.say_broken(name, found)
        with self._lock:
            self._known[name] = (stamp, found)
        return found


def readiness(store: GraphStore, logs: LogChecks, tr: Translator) -> dict[str, Any]:
    """Each graph's state, its change log's (``ok``, ``broken``) and what is wrong, in
    ``tr``'s language; ``ready`` unless a graph never loaded (``failed``) or its change
    log is broken (every write, undo and review of it would be refused). A ``stale``
    graph (its source broken, the last good version served) is served, so it is ready,
    and listed with its problem."""
    graphs = []
    for entry in store.entries():
        name = entry.source.name
        version = entry.version
        broken = logs.problem(name)
        graphs.append({"name": name, "state": version.state,
                       "changelog": "broken" if broken is not None else "ok",
                       "problem": problem_worded(version.problem, tr),
                       "problems": problems_listed(version.problem, tr),
                       "changelog_problem": problem_worded(broken, tr)})
    ready = all(g["state"] != "failed" and g["changelog"] == "ok" for g in graphs)
    return {"ready": ready, "graphs": graphs}


def health_router(store: GraphStore) -> APIRouter:
    """``/healthz`` and ``/readyz``."""
    router = APIRouter(tags=["health"])
    logs = LogChecks(store)

    @router.get("/healthz", response_class=PlainTextResponse)
    async def healthz() -> PlainTextResponse:
        """Liveness: 200 ``ok`` while the process answers (nothing is read)."""
        return PlainTextResponse("ok\n", headers=NO_STORE)

    @router.get("/readyz", responses={**responses(400), 503: {
            "description": "A graph never loaded, or a change log is broken: the answer "
            "names it"}})
    def readyz(tr: Translator = Depends(api_language)) -> JSONResponse:
        """Readiness: 200 when every graph served is loaded and its change log reads;
        503 naming the graph that never loaded or whose change log is broken. Each graph
        with its ``state`` (ok, stale, failed), ``changelog`` (ok, broken) and problems in
        the request's language (``?lang=``, else ``Accept-Language``, else Finnish)."""
        answer = readiness(store, logs, tr)
        return JSONResponse(answer, status_code=200 if answer["ready"] else 503,
                            headers=NO_STORE)

    return router


__all__ = ["LogChecks", "health_router", "readiness"]
