"""The cases service's model base: its tables share this metadata and no other service's."""

from sqlmodel import SQLModel

from shared.models import new_registry


class CasesModel(SQLModel, registry=new_registry()):
    """Base of the cases tables."""


metadata = CasesModel.metadata
