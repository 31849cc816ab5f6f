"""A backend that is not exlm-mon's: FastAPI instrumented with the official Python client (prometheus_client).

Written as a FastAPI service of the exlm platform would be: the guide's metric names with the labels and status
groups of prometheus-fastapi-instrumentator (handler, method, status "2xx"/"4xx"/"5xx"), the rest as the Python
client writes them (error_count_total with error_count_created, ...), readiness answered in the common FastAPI shape
(booleans, HTTP 503 when not ready). Runs as one process, or as several uvicorn workers in the client's multiprocess
mode when PROMETHEUS_MULTIPROC_DIR is set (every gauge then carries a pid label).

The host figures are fixed by the environment (REF_CPU, REF_MEMORY, REF_DISK, REF_USERS), so that a test knows
what each instance reports; REF_READY=database,redis names the dependencies that answer (the others are false).
"""
import os
import time

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest, multiprocess)

MULTIPROC = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUESTS = Counter("http_requests_total", "Total number of requests by method, status and handler.",
                   ["method", "status", "handler"])
LATENCY = Histogram("http_request_duration_seconds", "Latency of HTTP requests.", ["method", "handler"])
INPROGRESS = Gauge("http_requests_inprogress", "Number of HTTP requests in progress.", ["method", "handler"],
                   multiprocess_mode="livesum")
CPU = Gauge("cpu_usage_percent", "CPU usage in percent.")
MEMORY = Gauge("memory_usage_percent", "Memory usage in percent.")
DISK = Gauge("disk_usage_percent", "Disk usage in percent.")
USERS = Gauge("active_users", "Users active in the last 5 minutes.")
SOCKETS = Gauge("active_websocket_connections", "Open WebSocket connections.")
TRAINING = Counter("model_training_total", "Model training jobs.", ["status"])
DATASETS = Counter("dataset_processing_total", "Dataset processing jobs.", ["status"])
ERRORS = Counter("error_count", "Errors by type.", ["type"])
HITS = Counter("cache_hits", "Cache hits.")
MISSES = Counter("cache_misses", "Cache misses.")
PENDING = Gauge("celery_tasks_pending", "Celery tasks waiting.")
ACTIVE = Gauge("celery_tasks_active", "Celery tasks running.")

CPU.set(float(os.environ.get("REF_CPU", "20")))
MEMORY.set(float(os.environ.get("REF_MEMORY", "40")))
DISK.set(float(os.environ.get("REF_DISK", "23.6")))
USERS.set(float(os.environ.get("REF_USERS", "5")))
SOCKETS.set(float(os.environ.get("REF_SOCKETS", "2")))
PENDING.set(float(os.environ.get("REF_PENDING", "3")))
ACTIVE.set(1)
TRAINING.labels("completed").inc(2)
DATASETS.labels("completed").inc(1)
ERRORS.labels("database").inc(0)
HITS.inc(8)
MISSES.inc(2)

STARTED = time.time()
app = FastAPI()


@app.middleware("http")
async def instrument(request: Request, call_next):
    handler = request.url.path
    if handler == "/metrics":
        return await call_next(request)
    INPROGRESS.labels(request.method, handler).inc()
    start = time.perf_counter()
    try:
        response = await call_next(request)
    finally:
        INPROGRESS.labels(request.method, handler).dec()
    LATENCY.labels(request.method, handler).observe(time.perf_counter() - start)
    REQUESTS.labels(request.method, str(response.status_code)[0] + "xx", handler).inc()
    return response


@app.get("/metrics")
def metrics(request: Request):
    if MULTIPROC:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    if "application/openmetrics-text" in request.headers.get("accept", ""):
        # the client's OpenMetrics writer, as its own exposition helpers negotiate it
        from prometheus_client.openmetrics import exposition as om
        return Response(om.generate_latest(registry), media_type=om.CONTENT_TYPE_LATEST)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


@app.get("/api/v1/health")
def health():
    return {"status": "healthy", "version": "1.4.2", "environment": "reference", "service": "reference-backend"}


@app.get("/api/v1/health/live")
def live():
    return {"status": "alive", "uptime_seconds": round(time.time() - STARTED, 1), "pid": os.getpid()}


@app.get("/api/v1/health/ready")
def ready():
    up = set(filter(None, os.environ.get("REF_READY", "database,redis").split(",")))
    checks = {name: name in up for name in ("database", "redis")}
    if all(checks.values()):
        return {"status": "ready", "checks": checks}
    return JSONResponse(status_code=503, content={"status": "not_ready", "checks": checks})


@app.get("/api/v1/health/metrics")
def system():
    return {"cpu_usage_percent": CPU._value.get() if not MULTIPROC else float(os.environ.get("REF_CPU", "20")),
            "memory_usage_percent": float(os.environ.get("REF_MEMORY", "40")),
            "disk_usage_percent": float(os.environ.get("REF_DISK", "23.6"))}


@app.get("/api/v1/fail")
def fail():
    return JSONResponse(status_code=500, content={"detail": "failed on purpose"})


@app.get("/api/v1/models")
def models():
    return [{"id": 1, "name": "baseline"}]
