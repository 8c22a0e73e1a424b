"""Which texts Uma's English-only models are not asked about (uma.llm.text.not_english)."""

import pytest

from uma.llm.text import not_english


@pytest.mark.parametrize(
    "text",
    [
        "necesito un desarrollador para arreglar mi tienda Shopify, pierde pedidos",
        "Nous cherchons un développeur pour notre boutique",
        "Ich habe drei Jahre mit Django gearbeitet",
        "Trabajé con Django y PostgreSQL durante seis años en una empresa de reservas grande.",
        "我们需要一个网站开发人员",
        "Нужен разработчик для интернет-магазина",
    ],
)
def test_another_language_is_seen(text):
    assert not_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Senior React developer needed, ongoing dashboard work, remote, hourly",  # no small words at all
        "fix shopify checkout",
        "Logo for Café de Flore in Paris",  # a foreign name in an English sentence
        "Translate our app's UI strings from English to Spanish",
        "",
    ],
)
def test_english_stays_english(text):
    assert not not_english(text)
