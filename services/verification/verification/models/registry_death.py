"""A death the registry recorded (``registry.person.died``): the registry person and the death
date, with the event that brought it. Runs whose register came from ``registry`` (subject key
``person:<person_id>``) treat the person as dead from that date (``verification.deaths``).

A withdrawn death (``registry.person.death_retracted``) removes the row and leaves a
``registry_death_retraction`` behind: the person's latest retraction and its event time, so a
death event older than it that arrives late does not make the person dead again."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from verification.models import Base


class RegistryDeath(Base):
    __tablename__ = "registry_death"

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    death_date: Mapped[date] = mapped_column(Date)
    # The event that set the date: a later event (by its time) with another date replaces it.
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RegistryDeathRetraction(Base):
    __tablename__ = "registry_death_retraction"

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # The date the withdrawn death record held.
    death_date: Mapped[date] = mapped_column(Date)
    # The latest retraction of the person: a death event no later than it is not recorded.
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
