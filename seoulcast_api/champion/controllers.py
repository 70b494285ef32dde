"""``/api/v1/model``: the champion model and its backtest metrics."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_404_NOT_FOUND

from seoulcast_api.champion.schemas import ModelCard
from seoulcast_api.champion.services import ChampionService
from seoulcast_api.errors import STORAGE_DOWN, error_spec
from seoulcast_api.responses import STALE_HEADER_DOC, fresh_or_stale


class ChampionController(Controller):
    path = "/api/v1/model"
    tags = ["model"]
    response_headers = [STALE_HEADER_DOC]

    @get(
        operation_id="getModelCard",
        summary="The champion model and its backtest",
        description="The registered model version serving forecasts, when it was promoted, "
        "where its observations came from, and its walk-forward backtest (MAE and RMSE in °C or "
        "µg/m³, 80% coverage, PM10 grade accuracy, per target and lead) beside the persistence, "
        "climatology and linear baselines.",
        responses={HTTP_404_NOT_FOUND: error_spec("No champion yet."), **STORAGE_DOWN},
        sync_to_thread=True,
    )
    def model_card(self, champion: NamedDependency[ChampionService]) -> Response[ModelCard]:
        read = champion.card()
        return fresh_or_stale(read.value, read)
