"""Model bases: each service gets its own metadata, so three services never share a schema."""

import sqlalchemy as sa
from sqlalchemy.orm import registry

# Named constraints make migrations reproducible and error messages mappable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_registry() -> registry:
    return registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION))
