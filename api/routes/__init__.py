"""The JSON API's route modules, one per concept, mounted under ``/api/v1``."""

from fastapi import APIRouter

from api.routes import stakeholders

ROUTERS: list[APIRouter] = [
    stakeholders.router,
]
