"""``/api/v1/verification``: how the recent forecasts compared with what happened."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from seoulcast_api.errors import STORAGE_DOWN
from seoulcast_api.responses import STALE_HEADER_DOC, fresh_or_stale
from seoulcast_api.verification.schemas import VerificationReport
from seoulcast_api.verification.services import VerificationService

MAX_DAYS = 90


class VerificationController(Controller):
    path = "/api/v1/verification"
    tags = ["verification"]
    response_headers = [STALE_HEADER_DOC]

    @get(
        operation_id="getVerification",
        summary="Past forecasts against observations",
        description="For each of the last `days` days up to the newest observed day: the "
        "observation and every stored forecast made for that day (leads 1–7), plus the MAE and "
        "80%-interval coverage of the p50 forecasts per target and lead over the window.",
        responses=STORAGE_DOWN,
        sync_to_thread=True,
    )
    def verification(
        self,
        verification: NamedDependency[VerificationService],
        days: Annotated[
            int, Parameter(ge=1, le=MAX_DAYS, description="How many days back (1–90).")
        ] = 30,
    ) -> Response[VerificationReport]:
        read = verification.last_days(days)
        return fresh_or_stale(read.value, read)
