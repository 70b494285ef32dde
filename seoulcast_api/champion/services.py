"""Reading the champion's model card through the cache."""

from __future__ import annotations

import msgspec
from litestar.exceptions import NotFoundException

from seoulcast_api.cache import Cached, ObjectCache
from seoulcast_api.champion.schemas import ModelCard
from seoulcast_assets.layout import CHAMPION_MODEL_KEY
from seoulcast_assets.storage import ObjectNotFound


def parse_model_card(raw: bytes) -> ModelCard:
    return msgspec.json.decode(raw, type=ModelCard)


class ChampionService:
    def __init__(self, cache: ObjectCache):
        self.cache = cache

    def card(self) -> Cached[ModelCard]:
        try:
            return self.cache.read(CHAMPION_MODEL_KEY, parse_model_card)
        except ObjectNotFound:
            raise NotFoundException("No model has been promoted to champion yet.") from None
