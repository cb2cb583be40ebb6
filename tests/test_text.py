"""Amounts in words as official documents print them (frontwelfare.text.amount_in_words)."""

import pytest

from frontwelfare.text import amount_in_words

AMOUNTS = [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi bốn đồng"),
    (25, "Hai mươi lăm đồng"),
    (55, "Năm mươi lăm đồng"),
    (65, "Sáu mươi lăm đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (1_000, "Một nghìn đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_050, "Một nghìn không trăm năm mươi đồng"),
    (2_025, "Hai nghìn không trăm hai mươi lăm đồng"),
    (10_000, "Mười nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (1_000_001, "Một triệu không trăm linh một đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (2_000_500, "Hai triệu năm trăm đồng"),
    (3_095_000, "Ba triệu không trăm chín mươi lăm nghìn đồng"),
    (30_000_000, "Ba mươi triệu đồng"),
    (60_000_000, "Sáu mươi triệu đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (1_005_000_000, "Một tỷ không trăm linh năm triệu đồng"),
    (25_500_000_000, "Hai mươi lăm tỷ năm trăm triệu đồng"),
    (211_000_000_000, "Hai trăm mười một tỷ đồng"),
    (1_000_000_000_500, "Một nghìn tỷ năm trăm đồng"),
    (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
    (10**15, "Một triệu tỷ đồng"),
]


@pytest.mark.parametrize(("amount", "words"), AMOUNTS)
def test_amount_in_words_follows_the_conventions_of_official_documents(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("amount", [-1, 1.5, "30000000", True, None])
def test_amount_in_words_refuses_what_is_not_a_whole_number_of_dong(amount):
    with pytest.raises(ValueError, match="whole number of đồng"):
        amount_in_words(amount)
