"""Alembic environment: runs on the engine passed in ``config.attributes`` or KISS_DATABASE_URL."""

from alembic import context

from households.db import Base, import_all_models, make_engine

import_all_models()
config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
