import json
import logging

from oms_kit.logging import JsonFormatter, reset_request_id, set_request_id
from oms_kit.masking import mask_personal_data


def test_snils_enp_and_passport_are_masked():
    text = "СНИЛС 112-233-445 95, ЕНП 7700001234567890, паспорт 45 06 123456, СНИЛС 11223344595"
    masked = mask_personal_data(text)
    for secret in ["112-233-445 95", "7700001234567890", "45 06 123456", "11223344595"]:
        assert secret not in masked
    assert "************7890" in masked


def test_ordinary_numbers_survive():
    assert mask_personal_data("счёт 1234, сумма 1500000.00") == "счёт 1234, сумма 1500000.00"


def test_json_log_has_request_id_and_masks_extras():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "found person %s", ("112-233-445 95",), None)
    record.snils = "11223344595"
    token = set_request_id("req-1")
    try:
        line = JsonFormatter("registry").format(record)
    finally:
        reset_request_id(token)
    entry = json.loads(line)
    assert entry["request_id"] == "req-1"
    assert entry["service"] == "registry"
    assert "112-233-445" not in line and "11223344595" not in line
