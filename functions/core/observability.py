"""Powertools Logger, Metrics and (opt-in) Tracer, set up once per process.

The Tracer loads the X-Ray SDK, which costs ~300 ms of cold start, so it is built only
when tracing is switched on (template parameter EnableTracing).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from aws_lambda_powertools import Logger, Metrics

from core.triggers import DryRun

warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger()
metrics = Metrics()


@cache
def tracing_enabled() -> bool:
    return os.environ.get("POWERTOOLS_TRACE_DISABLED", "true").lower() == "false"


def lambda_entry[Handler: Callable[..., Any]](handler: Handler) -> Handler:
    """Wrap a Lambda handler: logger context, metrics flush and, if on, an X-Ray segment; a scheduled
    dry run answers that it was ready."""
    wrapped: Callable[..., Any] = metrics.log_metrics(logger.inject_lambda_context(handler))
    if tracing_enabled():
        from aws_lambda_powertools import Tracer

        wrapped = Tracer().capture_lambda_handler(wrapped)

    @wraps(handler)
    def entry(event: Any, context: Any) -> Any:
        try:
            return wrapped(event, context)
        except DryRun:
            logger.info("dry run: ready, nothing done")
            return {"dry_run": True}

    return entry  # type: ignore[return-value]
