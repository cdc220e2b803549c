"""The reporting service's model base.

Every table module is imported here, so the metadata is complete."""

from sqlmodel import SQLModel

from shared.models import new_registry


class ReportingModel(SQLModel, registry=new_registry()):
    """Base of the reporting tables; its metadata is this service's schema and nothing else."""


metadata = ReportingModel.metadata
