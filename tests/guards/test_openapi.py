"""The API contract is committed: the document the routers describe is the one in the repository,
and the one ApiDocs serves without importing a router."""

import json
import subprocess
import sys

from infra.openapi import COMMITTED, generate


def test_the_committed_document_is_what_the_routers_describe() -> None:
    assert generate() == COMMITTED.read_text(encoding="utf-8"), "the API changed: run `make openapi`"


def test_api_docs_serves_the_committed_document_without_importing_a_router() -> None:
    probe = (
        "import json, sys\n"
        "from apidocs.handler import handler\n"
        "class Context:\n"
        "    function_name = 'ApiDocs'; memory_limit_in_mb = 256; aws_request_id = 'r'\n"
        "    invoked_function_arn = 'arn:aws:lambda:us-east-1:1:function:ApiDocs'\n"
        "docs = handler({'rawPath': '/openapi.json'}, Context())\n"
        "page = handler({'rawPath': '/docs'}, Context())\n"
        "loaded = [m for m in sys.modules if m.endswith('.api') or m == 'pydantic']\n"
        "spec = docs['body'].replace('</', '<\\\\/')\n"
        "html = page['headers']['content-type'].startswith('text/html')\n"
        "ui = html and 'SwaggerUIBundle(' in page['body']\n"
        "print(json.dumps({'docs': docs['body'], 'ui': ui and spec in page['body'], 'loaded': loaded}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["docs"] == COMMITTED.read_text(encoding="utf-8")
    assert served["loaded"] == []
    assert served["ui"]  # Swagger UI with the same document inlined
