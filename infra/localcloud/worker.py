"""One function's execution environment: a process that imports the handler once and serves invocations.

Like a Lambda sandbox it keeps module state between invocations (warm starts) and sees only the
function's own environment. Requests and responses are JSON lines on stdin and the original
stdout; anything the function prints goes to stderr, which the local cloud shows as its log.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
import uuid
from decimal import Decimal
from typing import Any

from infra import timeshift


class LambdaContext:
    """The context object handlers receive."""

    def __init__(self, request_id: str, deadline: float) -> None:
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local")
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _error(exc: BaseException) -> dict[str, Any]:
    return {
        "errorType": type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_exception(exc),
    }


def main() -> None:
    timeshift.start()  # a test run's moment (`NOW=`), as the local cloud that started this process has it
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    module_name, _, function_name = os.environ["_HANDLER"].rpartition(".")
    handler: Any = None
    init_error: dict[str, Any] | None = None
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception as exc:
        init_error = _error(exc)
        traceback.print_exc()
    for line in sys.stdin:
        request = json.loads(line)
        request_id = request.get("requestId") or str(uuid.uuid4())
        if init_error is not None:
            response: dict[str, Any] = {"ok": False, "error": init_error}
        else:
            context = LambdaContext(request_id, time.time() + request.get("timeout", 3))
            try:
                result = handler(request["event"], context)
                response = {"ok": True, "result": json.loads(json.dumps(result, default=_default))}
            except Exception as exc:
                traceback.print_exc()
                response = {"ok": False, "error": _error(exc)}
        sys.stdout.flush()
        sys.stderr.flush()
        protocol.write(json.dumps(response) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
