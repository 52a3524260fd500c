"""The simulator's control endpoints, under ``/_sim/`` (exempt from fair access and
from the request log): what became visible when, request statistics, faults to
inject, and moving a manual clock."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from edgarmon.simulator.simulated_edgar import SimulatedEdgar
from edgarmon.testing.clock import ManualClock

SIM: Final = web.AppKey("simulated_edgar", SimulatedEdgar)


async def control_visible(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIM]
    return web.json_response(
        {"now": sim.now(), "visible": sim.visibility(), "first_served": sim.first_served}
    )


async def control_stats(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIM]
    by_status: dict[str, int] = {}
    for record in sim.requests:
        by_status[str(record.status)] = by_status.get(str(record.status), 0) + 1
    return web.json_response(
        {
            "now": sim.now(),
            "requests": len(sim.requests),
            "by_status": by_status,
            "blocks_started": sim.guard.blocks_started,
            "visible_filings": sim.visible_count(),
            "faults_pending": len(sim.faults.pending),
        }
    )


async def control_faults(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    try:
        request.app[SIM].faults.inject(
            str(body["kind"]),
            count=int(body.get("count", 1)),
            path_prefix=str(body.get("path_prefix", "/")),
            seconds=float(body.get("seconds", 0.0)),
        )
    except (KeyError, ValueError) as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response({"pending": len(request.app[SIM].faults.pending)})


async def control_advance(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIM]
    if not isinstance(sim.clock, ManualClock):
        return web.json_response({"error": "the clock is not manual"}, status=409)
    sim.clock.advance(float(request.query.get("seconds", "1")))
    return web.json_response({"now": sim.now()})


def add_control_routes(app: web.Application) -> None:
    app.router.add_get("/_sim/visible", control_visible)
    app.router.add_get("/_sim/stats", control_stats)
    app.router.add_post("/_sim/faults", control_faults)
    app.router.add_post("/_sim/advance", control_advance)
