"""Reading the champion's model card through the cache."""

from __future__ import annotations

import msgspec
from litestar.exceptions import NotFoundException

from seoulcast_api.cache import Cached, ObjectCache
from seoulcast_api.champion.schemas import BacktestRow, ModelCard, StoredModelCard
from seoulcast_api.forecasts.schemas import UNITS
from seoulcast_assets.layout import CHAMPION_MODEL_KEY
from seoulcast_assets.storage import ObjectNotFound

DECIMALS = 3


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def parse_model_card(raw: bytes) -> ModelCard:
    """The stored card as the API serves it (raising on anything outside the contract)."""
    stored = msgspec.json.decode(raw, type=StoredModelCard)
    return ModelCard(
        name=stored.name,
        version=stored.version,
        run_id=stored.run_id,
        promoted_at=stored.promoted_at,
        trained_through=stored.trained_through,
        observations_source=stored.observations_source,
        family=stored.family,
        config=stored.config,
        units=UNITS,
        backtest=[
            BacktestRow(
                model=row.model,
                target=row.target,
                lead_days=row.horizon,
                mae=round(row.mae, DECIMALS),
                rmse=round(row.rmse, DECIMALS),
                coverage80=_rounded(row.coverage80),
                grade_accuracy=_rounded(row.grade_accuracy),
                n=row.n,
            )
            for row in stored.backtest
        ],
    )


class ChampionService:
    def __init__(self, cache: ObjectCache):
        self.cache = cache

    def card(self) -> Cached[ModelCard]:
        try:
            return self.cache.read(CHAMPION_MODEL_KEY, parse_model_card)
        except ObjectNotFound:
            raise NotFoundException("No model has been promoted to champion yet.") from None
