"""Every domain router of the reporting service, mounted under /api/v1 by create_app."""

from fastapi import APIRouter

routers: list[APIRouter] = []
