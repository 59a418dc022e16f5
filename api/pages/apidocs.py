"""The interactive API documentation: Swagger UI on the app's OpenAPI schema, at ``/docs``.

FastAPI's own docs page starts Swagger UI with an inline script, which the
Content-Security-Policy forbids (an inline script is what an injected one looks like).
This page loads Swagger UI from a CDN and starts it with a static file of ours,
``api/static/swagger-init.js``; ``api.auth.DOCS_CONTENT_SECURITY_POLICY`` allows that
CDN on this page alone. Without JavaScript the page links to the schema itself.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.auth import Access
from api.web import static_url

router = APIRouter()
ACCESS = Access.PUBLIC

#: Swagger UI's distribution, major version 5 (its CSS and script are on the same CDN).
SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — API documentation</title>
<link rel="stylesheet" href="{swagger}/swagger-ui.css">
</head>
<body>
<noscript><p>The interactive documentation needs JavaScript. The API is described by its
OpenAPI schema at <a href="{schema}">{schema}</a>.</p></noscript>
<div id="swagger-ui" data-openapi-url="{schema}"></div>
<script src="{swagger}/swagger-ui-bundle.js" crossorigin="anonymous"></script>
<script src="{init}"></script>
</body>
</html>
"""


@router.get("/docs", name="api_docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI for ``/openapi.json``, started without inline script."""
    app = request.app
    return HTMLResponse(
        PAGE.format(
            title=escape(app.title),
            swagger=SWAGGER_UI,
            schema=escape(app.openapi_url or "/openapi.json"),
            init=escape(static_url("swagger-init.js")),
        )
    )
