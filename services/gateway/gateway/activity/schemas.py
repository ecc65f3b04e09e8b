import datetime as dt

from pydantic import BaseModel, Field


class DailySignIns(BaseModel):
    date: dt.date = Field(description="Календарный день в часовом поясе запроса")
    successful: int
    failed: int


class RoleSignIns(BaseModel):
    role: str
    successful: int
    failed: int


class SignInActivity(BaseModel):
    days: int
    tz: str = Field(description="Часовой пояс, в котором считаются дни и часы")
    since: dt.date = Field(description="Первый день периода")
    until: dt.date = Field(description="Последний день периода (сегодня)")
    successful: int = Field(description="Успешных входов за период")
    failed: int = Field(
        description="Отказов во входе за период (неверный пароль, неизвестный логин, блокировка)"
    )
    daily: list[DailySignIns] = Field(description="Каждый день периода, по порядку, с нулями")
    weekday_hour: list[list[int]] = Field(
        description="Успешные входы: 7 строк (понедельник … воскресенье) × 24 столбца (час 0–23)"
    )
    by_role: list[RoleSignIns] = Field(
        description="По ролям учётной записи на момент входа (вход с несколькими ролями — в каждой); "
        "больше всего входов — первыми"
    )
