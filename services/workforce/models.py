"""The workforce service's model base: its tables share this metadata and no other service's."""

from sqlmodel import SQLModel

from shared.models import new_registry


class WorkforceModel(SQLModel, registry=new_registry()):
    """Base of the workforce tables."""


metadata = WorkforceModel.metadata
