"""The cases service's model base.

Every table module is imported here, so the metadata is complete."""

from sqlmodel import SQLModel

from shared.models import new_registry


class CasesModel(SQLModel, registry=new_registry()):
    """Base of the cases tables; its metadata is this service's schema and nothing else."""


metadata = CasesModel.metadata
