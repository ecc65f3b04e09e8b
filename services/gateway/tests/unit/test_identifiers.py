import pytest

from gateway.organization.identifiers import complete_inn, complete_ogrn, inn_is_valid, ogrn_is_valid


@pytest.mark.parametrize("inn", ["7707083893", "500100732259"])  # Sberbank; a valid personal INN
def test_valid_inn(inn):
    assert inn_is_valid(inn)


@pytest.mark.parametrize("inn", ["7707083894", "123", "77070838931", "770708389x", "٧٧٠٧٠٨٣٨٩٣"])
def test_invalid_inn(inn):
    assert not inn_is_valid(inn)


def test_ogrn_check_digits():
    assert ogrn_is_valid("1027700132195")  # Sberbank
    assert not ogrn_is_valid("1027700132196")
    assert ogrn_is_valid(complete_ogrn("102990100001"))
    assert ogrn_is_valid("304500116000157")  # an individual entrepreneur (15 digits)
    assert not ogrn_is_valid("12345")


def test_completed_inn_is_valid():
    assert inn_is_valid(complete_inn("990100001"))
