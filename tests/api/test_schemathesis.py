"""Property-based tests of every documented operation, generated from the API's own /schema.

Schemathesis sends valid and invalid requests; every reply must be a documented status with a
body matching its schema, and none may be a server error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from seoulcast_api.app import create_app
from seoulcast_assets.kst import today_kst
from seoulcast_assets.storage import S3ObjectStore
from tests.api.apps import api_settings
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import serve
from tests.support.seaweedfs import S3Server

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 40


@pytest.fixture(scope="module")
def served_api(s3_server: S3Server, api_bucket: str, tmp_path_factory) -> Iterator[str]:
    store = S3ObjectStore(s3_server.client(), api_bucket, f"schemathesis-{uuid.uuid4().hex[:8]}")
    write_sample_store(store, today_kst())
    settings_ = api_settings(store.url, tmp_path_factory.mktemp("api"))
    with serve(create_app(settings_, store=store)) as url:
        yield url


# OpenAPI cannot say "start <= end, at most 366 days apart", so schema-valid ranges can be
# rightly refused with a 400; every other check still applies to them.
CROSS_PARAMETER_RULES = {"getObservations": [positive_data_acceptance]}


def _conformance_test(operation: schemathesis.APIOperation, mode: GenerationMode):
    excluded = CROSS_PARAMETER_RULES.get(operation.definition.raw.get("operationId"), [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=excluded)

    return check


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_schema(served_api: str, mode: GenerationMode):
    schema = schemathesis.openapi.from_url(f"{served_api}/schema/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
            continue  # nothing to get wrong in a request without parameters
        _conformance_test(operation, mode)()
