"""The stages of a run, in order, with the Russian titles the job shows while each runs."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]

LOADING = "loading"
BLOCKING = "blocking"
SCORING = "scoring"
RULES = "rules"
DECISIONS = "decisions"
STAGES: tuple[str, ...] = (LOADING, BLOCKING, SCORING, RULES, DECISIONS)
STAGE_TITLES: dict[str, str] = {
    LOADING: "Загрузка регистра",
    BLOCKING: "Модель сопоставления",
    SCORING: "Сопоставление с источниками",
    RULES: "Применение правил",
    DECISIONS: "Итоги и решения",
}
TITLE_STAGES: dict[str, str] = {title: code for code, title in STAGE_TITLES.items()}


def stages_after(finished: str | None) -> tuple[str, ...]:
    """The stages still to run after ``finished`` (all of them when nothing finished)."""
    if finished is None:
        return STAGES
    return STAGES[STAGES.index(finished) + 1 :]
