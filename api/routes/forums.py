from __future__ import annotations

from api.crud import RecordRoutes
from governance.forums import schemas
from governance.forums import service as forum_service

resource = RecordRoutes(
    path="forums",
    label="forum",
    service=forum_service,
    read=schemas.ForumRead,
    create=schemas.ForumCreate,
    patch=schemas.ForumPatch,
    query=schemas.ForumQuery,
    present=forum_service.present,
)
router = resource.router()
