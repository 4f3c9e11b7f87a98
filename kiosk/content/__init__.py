"""The clinic's article as data: `article.toml`, read by the seed command and the tests."""

import tomllib
from pathlib import Path

ARTICLE = Path(__file__).with_name("article.toml")


def load_article(path: Path = ARTICLE) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)
