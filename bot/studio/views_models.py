"""/console/studio/models: start a training run (editor), follow it, compare it with the running model,
publish it or restore the previous model (publisher)."""
from __future__ import annotations

from typing import Any, Dict, Optional

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.console.guard import actor, base_context, db, guarded, page_language, principal, see_other, settings_of, unit_of_work
from bot.handoff.models import ROLE_EDITOR, ROLE_PUBLISHER
from bot.studio import gate, model_store, progress
from bot.studio.model_store import RUNNING, TrainingRun
from bot.studio.publishing import NotPublishable, publish_run, restore_previous
from bot.studio.training_runs import TrainingJobs, fail_dead_runs
from bot.web.keys import JINJA_KEY, TRAINING_KEY

PAGE = "/console/studio/models"
LOG_PREVIEW_BYTES = 6000


def _jobs(request: web.Request) -> TrainingJobs:
    return request.app[TRAINING_KEY]


def _run_id(request: web.Request) -> int:
    try:
        return int(request.match_info["run_id"])
    except ValueError as exc:
        raise web.HTTPNotFound() from exc


def run_status(run: TrainingRun, log: str = "") -> Dict[str, Any]:
    """What the page polls: where the run is, and the end of its log."""
    return {"id": run.id, "state": run.state, "stage": run.stage, "percent": run.percent, "error": run.error or "",
            "allowed": run.allowed, "log": log[-LOG_PREVIEW_BYTES:]}


async def _log_tail(request: web.Request, run_id: int, limit: int = progress.LOG_TAIL_BYTES) -> str:
    path = model_store.log_path(settings_of(request), run_id)
    return await request.loop.run_in_executor(None, progress.read_tail, path, limit)


def _run_view(run: TrainingRun, tolerance: float) -> Dict[str, Any]:
    """A finished run's comparison table, intents that got worse and the gate's reasons."""
    report = run.figures()
    candidate, running = report.get("candidate") or {}, report.get("running") or {}
    return {"rows": gate.comparison(candidate, running, tolerance), "worse": gate.worse_intents(candidate, running),
            "reasons": run.refusals(), "running_model": report.get("running_model", ""),
            "seconds": report.get("seconds"), "train_seconds": report.get("train_seconds")}


@guarded(role=ROLE_EDITOR)
async def models_page(request: web.Request) -> web.StreamResponse:
    """GET /console/studio/models[?run=<id>]: the running model, the runs, one run in detail."""
    settings = settings_of(request)
    await fail_dead_runs(db(request))
    wanted: Optional[int] = int(request.query["run"]) if request.query.get("run", "").isdigit() else None
    async with unit_of_work(request) as session:
        current = await model_store.current(session)
        back = await model_store.previous(session)
        runs = await model_store.runs(session)
        shown = await session.get(TrainingRun, wanted) if wanted else (runs[0] if runs else None)
    language = page_language(request)
    texts = locale.texts(language, "studio")
    log = await _log_tail(request, shown.id, LOG_PREVIEW_BYTES) if shown is not None else ""
    context = base_context(
        request, page="studio", st=texts, current=current, previous=back, runs=runs, shown=shown,
        detail=_run_view(shown, settings.model_gate_tolerance) if shown is not None and shown.report else None,
        log=log, tolerance=settings.model_gate_tolerance, intent_tolerance=settings.model_gate_intent_tolerance,
        pull_seconds=settings.model_pull_seconds,
        can_publish=principal(request).has_role(ROLE_PUBLISHER), running=any(r.state == RUNNING for r in runs),
        note=texts.get(request.query.get("note", ""), "") if request.query.get("note", "").startswith("models_") else "",
        js={"studio": {k: v for k, v in texts.items() if k.startswith("models_")},
            "run": shown.id if shown is not None and shown.state == RUNNING else None},
    )
    return aiohttp_jinja2.render_template("studio_models.html", request, context, app_key=JINJA_KEY)


@guarded(role=ROLE_EDITOR)
async def run_api(request: web.Request) -> web.StreamResponse:
    """GET /console/api/studio/runs/<id>: the run's state, stage, percentage and the end of its log."""
    run_id = _run_id(request)
    await fail_dead_runs(db(request))
    async with unit_of_work(request) as session:
        run = await session.get(TrainingRun, run_id)
    if run is None:
        raise web.HTTPNotFound()
    return web.json_response(run_status(run, await _log_tail(request, run_id, LOG_PREVIEW_BYTES)))


@guarded(role=ROLE_EDITOR)
async def run_log(request: web.Request) -> web.StreamResponse:
    """GET /console/studio/models/runs/<id>/log: the run's log as text (its end, when it is long)."""
    run_id = _run_id(request)
    async with unit_of_work(request) as session:
        if await session.get(TrainingRun, run_id) is None:
            raise web.HTTPNotFound()
    return web.Response(text=await _log_tail(request, run_id), content_type="text/plain", charset="utf-8")


@guarded(role=ROLE_EDITOR)
async def start_training(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/models/train: start a run unless one is going."""
    run_id = await _jobs(request).start(actor(request))
    if run_id is None:
        return see_other(f"{PAGE}?note=models_busy")
    return see_other(f"{PAGE}?run={run_id}&note=models_started")


@guarded(role=ROLE_PUBLISHER)
async def publish(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/models/runs/<id>/publish: the run's model goes live (only when the gate allowed it)."""
    run_id = _run_id(request)
    try:
        await publish_run(settings_of(request), db(request), run_id, actor(request))
    except NotPublishable as refused:
        return see_other(f"{PAGE}?run={run_id}&note={refused.key}")
    return see_other(f"{PAGE}?run={run_id}&note=models_published_note")


@guarded(role=ROLE_PUBLISHER)
async def restore(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/models/restore: the previous model goes live again."""
    row = await restore_previous(settings_of(request), db(request), actor(request))
    return see_other(f"{PAGE}?note={'models_restored' if row is not None else 'models_nothing_to_restore'}")


def add_routes(app: web.Application) -> None:
    app.router.add_get(PAGE, models_page)
    app.router.add_post(f"{PAGE}/train", start_training)
    app.router.add_get(f"{PAGE}/runs/{{run_id}}/log", run_log)
    app.router.add_post(f"{PAGE}/runs/{{run_id}}/publish", publish)
    app.router.add_post(f"{PAGE}/restore", restore)
    app.router.add_get("/console/api/studio/runs/{run_id}", run_api)
