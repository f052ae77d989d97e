"""The reliability suite reuses the unit harness and the integration fixtures (real Synapse)."""

from __future__ import annotations

from tests.integration.conftest import bot_account, start_bot  # noqa: F401
from tests.unit.conftest import db, harness_factory  # noqa: F401
