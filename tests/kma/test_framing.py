"""Telling a KMA reply from the errors KMA sends instead (reference §0 detection rule)."""

from __future__ import annotations

import pytest

from seoulcast_assets.kma.errors import (
    KmaApiError,
    KmaInvalidApi,
    KmaMalformedReply,
    KmaNotActivated,
    KmaQuotaExceeded,
    KmaServerError,
    KmaTruncatedReply,
)
from seoulcast_assets.kma.framing import check_reply, data_section
from tests.kma.samples import ASOS_FIXED_WIDTH_REPLY

NOT_ACTIVATED = '{"result":{"status":403,"message":"활용신청이 필요한 API 입니다."}}'
QUOTA = '{"result":{"status":403,"message":"일일 최대 호출 용량 제한으로 사용할 수 없습니다."}}'


def test_a_good_reply_gives_its_text():
    body = ASOS_FIXED_WIDTH_REPLY.encode("euc_kr")
    assert check_reply(200, body) == ASOS_FIXED_WIDTH_REPLY


@pytest.mark.parametrize(
    ("status", "body", "error_type", "message"),
    [
        (403, NOT_ACTIVATED, KmaNotActivated, "활용신청이 필요한 API 입니다."),
        (403, QUOTA, KmaQuotaExceeded, "일일 최대 호출 용량 제한으로 사용할 수 없습니다."),
        (200, NOT_ACTIVATED, KmaNotActivated, "활용신청이 필요한 API 입니다."),  # JSON even on 200
        (404, "유효하지 않은 API 입니다.", KmaInvalidApi, "유효하지 않은 API 입니다."),
        (401, '{"result":{"status":401,"message":"인증 실패"}}', KmaApiError, "인증 실패"),
        (400, "bad request", KmaApiError, "bad request"),
    ],
)
def test_kmas_refusals_carry_its_message(status, body, error_type, message):
    with pytest.raises(error_type) as caught:
        check_reply(status, body.encode("utf-8"))
    assert caught.value.message == message
    assert message in str(caught.value)
    assert caught.value.status == (status if status != 200 else 403)


def test_server_errors_are_their_own_type():
    with pytest.raises(KmaServerError, match="HTTP 502"):
        check_reply(502, b"<html>Bad Gateway</html>")


@pytest.mark.parametrize("body", [b"", b"   \n", b"#START7777\n20230519 159", b"#START7777\n"])
def test_bodies_cut_before_the_end_marker_are_truncated(body):
    with pytest.raises(KmaTruncatedReply):
        check_reply(200, body)


def test_a_body_without_the_start_marker_is_malformed():
    with pytest.raises(KmaMalformedReply, match="line 1: no #START7777"):
        check_reply(200, b"<html>maintenance</html>")


def test_data_before_the_start_marker_is_malformed():
    with pytest.raises(KmaMalformedReply, match="line 2: data before #START7777"):
        check_reply(200, b"# note\n20230519 159\n#START7777\n#7777END\n")


def test_bytes_that_are_not_euc_kr_name_their_line():
    body = "#START7777\n# 관측\n".encode("euc_kr") + b"20230519 \xff\xfe\n#7777END\n"
    with pytest.raises(KmaMalformedReply, match="line 3: not EUC-KR text"):
        check_reply(200, body)


def test_the_data_section_starts_after_the_header_lines():
    section, first_line = data_section(
        "#START7777\n# a\n\n# b\n20230519 1\n# c\n20230520 2\n#7777END\n"
    )
    assert section == "20230519 1\n# c\n20230520 2\n"
    assert first_line == 5


def test_an_end_marker_inside_a_line_does_not_count():
    with pytest.raises(KmaTruncatedReply):
        data_section("#START7777\n20230519 x#7777END\n")
