"""The report workflow per MO, form and period (no SQL here):

``draft`` → ``submitted`` → ``accepted`` | ``returned`` (with a comment) → edited → ``submitted`` …

- a draft or returned report is filled from the collected data whenever it is opened (its
  computed cells are live) and stored on ``recalculate``, on every edit and on submit; its
  manual cells are typed by the MO (``finance.report:write``, own MO);
- submit runs the control ratios: an error refuses it (422 listing every violation with the
  rule, the cells and the values), warnings do not; the values are frozen as submitted;
- accept and return are the acceptor's (``finance.report:accept`` and the form's acceptor role:
  TFOMS for 14-Ф, the health authority for 62 — of the MOs it founds); accepting locks the MO's
  months of the period (``period_lock``) in the same transaction, and an accepted report never
  changes again;
- every change is written to ``report_history`` (who, when, what: status, the cells with old and
  new values, the comment) and audited (``audit_log``, action ``update``); the events
  ``finance.report.submitted`` / ``finance.report.accepted`` go through the outbox.

A transition from a state that does not allow it is a 409 naming the state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.events.published import ReportAccepted, ReportSubmitted
from finance.forms import engine
from finance.forms.engine import Cell, Values, Violation
from finance.forms.periods import Period, due_periods, period_of
from finance.forms.repository import FormRepository, ReportFilter
from finance.forms.schemas import (
    CellRead,
    ColumnRead,
    ConsolidatedRead,
    FormSummary,
    HistoryRead,
    OverdueRead,
    PeriodRead,
    ReportCreate,
    ReportRead,
    ReportSummary,
    RowRead,
    RuleRead,
    TemplateRead,
    ValidationRead,
    ValuesIn,
    ViolationCell,
    ViolationRead,
)
from finance.forms.templates import FormVersion, UnknownForm, forms, latest, version_for
from finance.models import Report
from finance.scope import MoScope, ensure_mo, mo_scope
from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from oms_kit.events import add_event
from oms_kit.pagination import Page, PageParams

SOURCE = "finance"
REPORT_NOT_FOUND = "Отчёт не найден"
STATUS_TITLES = {
    "draft": "черновик",
    "submitted": "сдан, на проверке",
    "accepted": "принят",
    "returned": "возвращён на доработку",
}
ACTION_TITLES = {
    "create": "Создан",
    "edit": "Изменены значения",
    "recalculate": "Пересчитан по данным",
    "submit": "Сдан",
    "accept": "Принят",
    "return": "Возвращён на доработку",
    "comment": "Комментарий",
}
EDITABLE = frozenset({"draft", "returned"})
HEADLINE = {"14F": (("02", "4"), ("10", "4"), ("30", "4")), "62": (("01", "3"), ("02", "3"), ("02", "4"))}


class ControlRatiosFailed(InvalidInput):
    """Submit refused: the report breaks control ratios (errors, not warnings)."""

    code = "control-ratios"
    title = "Отчёт не прошёл контрольные соотношения"

    def __init__(self, violations: list[ViolationRead]) -> None:
        codes = ", ".join(dict.fromkeys(v.code for v in violations))
        super().__init__(
            f"Нарушено контрольных соотношений: {len(violations)} ({codes}). Исправьте отчёт — "
            "черновик можно сохранить, но сдать нельзя"
        )
        self.violations = violations


# --- reading templates -----------------------------------------------------------------------


def _version(form: str, period: Period) -> FormVersion:
    try:
        version = version_for(form, period.end)
    except UnknownForm:
        raise NotFound(f"Форма «{form}» не найдена") from None
    if version is None:
        raise InvalidInput(f"Для периода «{period.label}» нет действующей версии формы {form}")
    return version


def _period(form: str, year: int, quarter: int | None) -> Period:
    try:
        kind = latest(form).periodicity
    except UnknownForm:
        raise NotFound(f"Форма «{form}» не найдена") from None
    if kind == "quarter" and quarter is None:
        raise InvalidInput("Форма квартальная: укажите квартал (1–4)", field="quarter")
    if kind == "year" and quarter is not None:
        raise InvalidInput("Форма годовая: квартал не указывается", field="quarter")
    return period_of(kind, year, quarter)


def template_read(version: FormVersion) -> TemplateRead:
    return TemplateRead(
        form=version.form,
        version=version.version,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        title=version.title,
        short=version.short,
        periodicity=version.periodicity,
        deadline=version.deadline.describe(),
        acceptor=version.acceptor_title,
        unit=version.unit,
        basis=version.basis,
        notes=list(version.notes),
        columns=[ColumnRead(code=c.code, title=c.title, formula=c.formula) for c in version.columns],
        rows=[
            RowRead(
                code=r.code,
                title=r.title,
                level=r.level,
                section=r.section,
                formula=r.formula,
                columns=[c.code for c in version.columns if version.has_cell(r, c.code)],
                manual=list(r.manual),
                kosgu=sorted(r.source.kosgu) if r.source and r.source.kosgu else [],
                flow=r.source.flow if r.source else None,
            )
            for r in version.rows
        ],
        rules=[
            RuleRead(
                code=rule.code,
                text=engine.describe(rule.expr, version.form),
                expr=rule.expr,
                message=rule.message,
                severity=rule.severity,
                columns=list(rule.columns),
                rows=list(rule.rows),
                inter_form="!" in rule.expr,
            )
            for rule in version.rules
        ],
    )


def list_forms() -> list[FormSummary]:
    out = []
    for code, versions in forms().items():
        current = latest(code)
        out.append(
            FormSummary(
                form=code,
                short=current.short,
                title=current.title,
                periodicity=current.periodicity,
                versions=[v.version for v in versions],
            )
        )
    return out


def template_for(form: str, year: int | None, quarter: int | None) -> TemplateRead:
    if year is None:
        try:
            return template_read(latest(form))
        except UnknownForm:
            raise NotFound(f"Форма «{form}» не найдена") from None
    return template_read(_version(form, _period(form, year, quarter)))


# --- helpers ---------------------------------------------------------------------------------


def period_read(period: Period) -> PeriodRead:
    return PeriodRead(
        kind=period.kind,
        year=period.year,
        quarter=period.quarter,
        start=period.start,
        end=period.end,
        label=period.label,
    )


def report_period(report: Report) -> Period:
    return period_of(report.period_kind, report.year, report.quarter)  # type: ignore[arg-type]


def cells_read(version: FormVersion, values: Values) -> list[CellRead]:
    kinds = engine.plan(version).kinds
    return [
        CellRead(row=r, column=c, value=values.get((r, c)), kind=kinds[(r, c)]) for r, c in version.cells()
    ]


def violation_read(v: Violation) -> ViolationRead:
    return ViolationRead(
        code=v.code,
        severity=v.severity,
        message=v.message,
        rule=v.rule,
        left=v.left,
        right=v.right,
        cells=[ViolationCell(form=c.form, row=c.row, column=c.column, value=c.value) for c in v.cells],
    )


def matching_period(other: FormVersion, period: Period) -> Period | None:
    """The period of ``other``'s periodicity covering exactly the same months, if any."""
    if other.periodicity == "year":
        return period_of("year", period.year, None) if period.end.month == 12 else None
    if period.end.month % 3 == 0:
        return period_of("quarter", period.year, period.end.month // 3)
    return None


def days_overdue(report_due: date, status: str, submitted_on: date | None, today: date) -> int:
    if status in EDITABLE and today > report_due:
        return (today - report_due).days
    return 0


def _summary(report: Report, version_short: str, mo_name: str | None, today: date) -> dict[str, Any]:
    submitted_on = report.submitted_at.date() if report.submitted_at else None
    return {
        "id": report.id,
        "form": report.form,
        "short": version_short,
        "version": report.version,
        "mo_id": report.mo_id,
        "mo_name": mo_name,
        "period": period_read(report_period(report)),
        "status": report.status,
        "due_date": report.due_date,
        "days_overdue": days_overdue(report.due_date, report.status, submitted_on, today),
        "submitted_late": bool(submitted_on and submitted_on > report.due_date),
        "revision": report.revision,
        "updated_at": report.updated_at,
        "submitted_at": report.submitted_at,
        "decided_at": report.decided_at,
        "comment": report.comment,
    }


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _totals(form: str, values: Values) -> dict[str, str]:
    return {f"{r}:{c}": _fmt(values.get((r, c))) or "0.00" for r, c in HEADLINE.get(form, ())}


def _report_fields(report: Report, values: Values) -> dict[str, Any]:
    """What the report's events say of it: which report, form, MO and period, its headline cells."""
    return {
        "report_id": report.id,
        "form": report.form,
        "version": report.version,
        "mo_id": report.mo_id,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "totals": _totals(report.form, values),
    }


def _diff(before: Values, after: Values) -> list[dict[str, str | None]]:
    out = []
    for cell in sorted(set(before) | set(after)):
        old, new = before.get(cell), after.get(cell)
        if old != new:
            out.append({"row": cell[0], "column": cell[1], "old": _fmt(old), "new": _fmt(new)})
    return out


@dataclass
class Loaded:
    report: Report
    version: FormVersion
    period: Period
    scope: MoScope


# --- the service -----------------------------------------------------------------------------


class FormService:
    def __init__(self, session: AsyncSession, principal: Principal, today: date | None = None) -> None:
        self.session = session
        self.principal = principal
        self.repo = FormRepository(session)
        self.today = today or date.today()

    async def _scope(self) -> MoScope:
        return await mo_scope(self.session, self.principal)

    async def _load(self, report_id: uuid.UUID, *, lock: bool = False) -> Loaded:
        scope = await self._scope()
        report = await self.repo.get(report_id, scope, lock=lock)
        if report is None or not scope.sees(report.mo_id):
            raise NotFound(REPORT_NOT_FOUND)
        version = next(v for v in forms()[report.form] if v.version == report.version)
        return Loaded(report, version, report_period(report), scope)

    async def _fresh(self, loaded: Loaded, manual: Values) -> Values:
        aggregates = await self.repo.aggregates(loaded.scope, loaded.period, loaded.report.mo_id)
        return engine.compute(loaded.version, aggregates, manual)

    async def _others(
        self, loaded: Loaded, aggregates_values: Values | None = None
    ) -> dict[str, Values | None]:
        """The values of the other forms an inter-form ratio names, for the same MO and
        period: their report's stored values when there is one, else computed from the data."""
        names = {f for check in engine.checks(loaded.version) for f in check.other_forms} - {
            loaded.version.form
        }
        out: dict[str, Values | None] = {}
        for name in names:
            other_latest = latest(name)
            period = matching_period(other_latest, loaded.period)
            if period is None:
                out[name] = None
                continue
            other_version = version_for(name, period.end)
            if other_version is None:
                out[name] = None
                continue
            report = await self.repo.find(name, loaded.report.mo_id, period)
            if report is not None and report.status not in EDITABLE:
                out[name] = (await self.repo.values(report.id))[0]
                continue
            manual = (await self.repo.values(report.id))[1] if report is not None else {}
            aggregates = await self.repo.aggregates(loaded.scope, period, loaded.report.mo_id)
            out[name] = engine.compute(other_version, aggregates, manual)
        return out

    async def _current(self, loaded: Loaded) -> tuple[Values, bool]:
        """The values shown: live for a draft/returned report, the stored ones otherwise."""
        stored, manual = await self.repo.values(loaded.report.id)
        if loaded.report.status in EDITABLE:
            return await self._fresh(loaded, manual), True
        return stored, False

    def _actions(self, loaded: Loaded) -> list[str]:
        status = loaded.report.status
        can_write = self.principal.has("finance.report:write") and loaded.scope.sees(loaded.report.mo_id)
        can_accept = (
            self.principal.has("finance.report:accept") and loaded.version.accepted_by in self.principal.roles
        )
        actions: list[str] = []
        if can_write and status in EDITABLE:
            actions += ["edit", "recalculate", "submit"]
        if can_accept and status == "submitted":
            actions += ["accept", "return"]
        if (can_write or can_accept) and status != "accepted":
            actions.append("comment")
        return actions

    async def _read(self, loaded: Loaded, values: Values, live: bool) -> ReportRead:
        found = engine.violations(loaded.version, values, await self._others(loaded))
        names = await self.repo.mo_names([loaded.report.mo_id])
        r = loaded.report
        return ReportRead(
            **_summary(r, loaded.version.short, names.get(r.mo_id), self.today),
            title=loaded.version.title,
            created_by=r.created_by,
            submitted_by=r.submitted_by,
            decided_by=r.decided_by,
            cells=cells_read(loaded.version, values),
            violations=[violation_read(v) for v in found],
            errors=sum(1 for v in found if v.severity == "error"),
            actions=self._actions(loaded),
            live=live,
        )

    async def _audit(self, report: Report, what: str) -> None:
        await audit_access(
            self.session,
            self.principal,
            action="update",
            resource=f"finance_report:{report.id}",
            reason=f"Отчёт {report.form} за {report_period(report).label}: {what}",
        )

    def _ensure_writer(self, loaded: Loaded) -> None:
        if not self.principal.has("finance.report:write"):
            raise Forbidden("Заполнять и сдавать отчёты может экономист МО")
        loaded.scope.ensure(loaded.report.mo_id)

    def _ensure_acceptor(self, loaded: Loaded) -> None:
        if loaded.version.accepted_by not in self.principal.roles:
            raise Forbidden(f"Форму {loaded.version.short} принимает {loaded.version.acceptor_title}")

    @staticmethod
    def _ensure_status(report: Report, allowed: frozenset[str] | set[str], doing: str) -> None:
        if report.status not in allowed:
            raise Conflict(f"Отчёт {STATUS_TITLES[report.status]}: {doing} нельзя")

    @staticmethod
    def _ensure_revision(report: Report, expected: int | None) -> None:
        if expected is not None and expected != report.revision:
            raise Conflict(
                f"Отчёт изменён с тех пор, как вы его открыли (ревизия {report.revision}, у вас {expected}): "
                "обновите страницу"
            )

    # --- reads -------------------------------------------------------------------------------

    async def get(self, report_id: uuid.UUID) -> ReportRead:
        loaded = await self._load(report_id)
        values, live = await self._current(loaded)
        return await self._read(loaded, values, live)

    async def history(self, report_id: uuid.UUID) -> list[HistoryRead]:
        loaded = await self._load(report_id)
        return [
            HistoryRead(
                at=h.at,
                actor=h.actor,
                action=h.action,
                action_title=ACTION_TITLES.get(h.action, h.action),
                status_from=h.status_from,
                status_to=h.status_to,
                comment=h.comment,
                changes=h.changes,
            )
            for h in await self.repo.history(loaded.report.id)
        ]

    async def list_reports(self, f: ReportFilter, paging: PageParams) -> Page[ReportSummary]:
        scope = await self._scope()
        scope.ensure_per_mo()
        rows, total = await self.repo.page(scope, f, limit=paging.limit, offset=paging.offset)
        names = await self.repo.mo_names(r.mo_id for r in rows)
        shorts = {code: latest(code).short for code in forms()}
        items = [ReportSummary(**_summary(r, shorts[r.form], names.get(r.mo_id), self.today)) for r in rows]
        return Page[ReportSummary](items=items, total=total, limit=paging.limit, offset=paging.offset)

    async def overdue(self, form: str | None = None, since: date | None = None) -> list[OverdueRead]:
        """Every (MO in scope, form, period) past its deadline whose report is not submitted:
        not started, a draft, or returned and not submitted again. Periods ending on or after
        ``since`` (default: 1 January of the previous year)."""
        scope = await self._scope()
        scope.ensure_per_mo()
        since = since or date(self.today.year - 1, 1, 1)
        mos = await self.repo.mos(scope)
        out: list[OverdueRead] = []
        for code in forms():
            if form and code != form:
                continue
            current = latest(code)
            periods = due_periods(current.periodicity, self.today, since)
            reports = await self.repo.of_periods(scope, code, periods)
            for period in periods:
                version = version_for(code, period.end)
                if version is None:
                    continue
                due = version.deadline.due(period.end)
                if due >= self.today:
                    continue
                for mo_id, name in mos:
                    report = reports.get((mo_id, period.end))
                    if report is not None and report.status not in EDITABLE:
                        continue
                    out.append(
                        OverdueRead(
                            form=code,
                            short=version.short,
                            mo_id=mo_id,
                            mo_name=name,
                            period=period_read(period),
                            due_date=due,
                            days_overdue=(self.today - due).days,
                            report_id=report.id if report else None,
                            status=report.status if report else "missing",
                        )
                    )
        out.sort(key=lambda o: (-o.days_overdue, o.form, o.mo_name or ""))
        return out

    async def consolidated(
        self, form: str, year: int, quarter: int | None
    ) -> tuple[ConsolidatedRead, FormVersion, Values]:
        """The form summed over the MOs in the caller's scope (FOMS, TFOMS: the region) from the
        collected data; the manual cells summed from the MOs' reports of the period."""
        scope = await self._scope()
        period = _period(form, year, quarter)
        version = _version(form, period)
        aggregates = await self.repo.aggregates(scope, period)
        manual = await self.repo.manual_sums(scope, form, period)
        values = engine.compute(version, aggregates, manual)
        others: dict[str, Values | None] = {}
        for check in engine.checks(version):
            for name in check.other_forms - set(others) - {form}:
                other_period = matching_period(latest(name), period)
                other_version = version_for(name, other_period.end) if other_period else None
                if other_period is None or other_version is None:
                    others[name] = None
                    continue
                other_manual = await self.repo.manual_sums(scope, name, other_period)
                others[name] = engine.compute(other_version, aggregates, other_manual)
        found = engine.violations(version, values, others)
        statuses = await self.repo.statuses(scope, form, period)
        read = ConsolidatedRead(
            form=form,
            version=version.version,
            title=version.title,
            period=period_read(period),
            mos=None if scope.mo_ids is None else len(scope.mo_ids),
            reports=statuses,
            cells=cells_read(version, values),
            violations=[violation_read(v) for v in found],
        )
        return read, version, values

    # --- changes -----------------------------------------------------------------------------

    async def create(self, body: ReportCreate) -> ReportRead:
        if not self.principal.has("finance.report:write"):
            raise Forbidden("Заполнять и сдавать отчёты может экономист МО")
        scope = await self._scope()
        await ensure_mo(self.session, scope, body.mo_id)
        period = _period(body.form, body.year, body.quarter)
        version = _version(body.form, period)
        if period.start > self.today:
            raise InvalidInput(f"Период «{period.label}» ещё не начался", field="year")
        report = Report(
            id=uuid.uuid4(),
            form=body.form,
            version=version.version,
            mo_id=body.mo_id,
            period_kind=period.kind,
            year=period.year,
            quarter=period.quarter,
            period_start=period.start,
            period_end=period.end,
            due_date=version.deadline.due(period.end),
            status="draft",
            created_by=self.principal.subject,
        )
        if not await self.repo.add(report):
            raise Conflict(f"Отчёт {version.short} за {period.label} у этой МО уже есть")
        loaded = await self._load(report.id)
        values = await self._fresh(loaded, {})
        await self.repo.write_values(report.id, values, set(engine.plan(version).manual))
        await self.repo.log(report.id, self.principal.subject, "create", status_to="draft")
        await self._audit(loaded.report, "создан")
        return await self._read(loaded, values, True)

    async def recalculate(self, report_id: uuid.UUID) -> ReportRead:
        loaded = await self._load(report_id, lock=True)
        self._ensure_writer(loaded)
        self._ensure_status(loaded.report, EDITABLE, "пересчитать")
        stored, manual = await self.repo.values(report_id)
        values = await self._fresh(loaded, manual)
        changes = _diff(stored, values)
        if changes:
            await self.repo.write_values(report_id, values, set(manual) | engine.plan(loaded.version).manual)
            await self.repo.update_report(report_id)
            await self.repo.log(report_id, self.principal.subject, "recalculate", changes=changes)
            await self._audit(loaded.report, "пересчитан по данным")
            await self.session.refresh(loaded.report)
        return await self._read(loaded, values, True)

    def _manual_input(self, loaded: Loaded, body: ValuesIn) -> dict[Cell, Decimal | None]:
        allowed = engine.plan(loaded.version).manual
        out: dict[Cell, Decimal | None] = {}
        for i, cell in enumerate(body.values):
            key = (cell.row, cell.column)
            if key not in engine.plan(loaded.version).kinds:
                raise InvalidInput(
                    f"В форме нет ячейки стр. {cell.row} гр. {cell.column}", field=f"values.{i}"
                )
            if key not in allowed:
                raise InvalidInput(
                    f"Ячейка стр. {cell.row} гр. {cell.column} вычисляется из данных, вручную не заполняется",
                    field=f"values.{i}",
                )
            if cell.value is not None and cell.value < 0:
                raise InvalidInput(
                    f"Стр. {cell.row} гр. {cell.column}: значение не может быть отрицательным",
                    field=f"values.{i}",
                )
            out[key] = cell.value
        return out

    async def validate(self, report_id: uuid.UUID, body: ValuesIn) -> ValidationRead:
        """The report as it would be with ``body``'s manual values: cells and violations, nothing saved."""
        loaded = await self._load(report_id)
        typed = self._manual_input(loaded, body)
        _, manual = await self.repo.values(report_id)
        if loaded.report.status in EDITABLE:
            values = await self._fresh(loaded, {**manual, **typed})
        else:
            values = (await self.repo.values(report_id))[0]
        found = engine.violations(loaded.version, values, await self._others(loaded))
        return ValidationRead(
            cells=cells_read(loaded.version, values),
            violations=[violation_read(v) for v in found],
            errors=sum(1 for v in found if v.severity == "error"),
        )

    async def edit(self, report_id: uuid.UUID, body: ValuesIn) -> ReportRead:
        loaded = await self._load(report_id, lock=True)
        self._ensure_writer(loaded)
        self._ensure_status(loaded.report, EDITABLE, "изменить значения")
        self._ensure_revision(loaded.report, body.expected_revision)
        typed = self._manual_input(loaded, body)
        stored, manual = await self.repo.values(report_id)
        values = await self._fresh(loaded, {**manual, **typed})
        changes = _diff(stored, values)
        if changes:
            await self.repo.write_values(report_id, values, engine.plan(loaded.version).manual)
            await self.repo.update_report(report_id)
            await self.repo.log(report_id, self.principal.subject, "edit", changes=changes)
            await self._audit(loaded.report, "изменены значения")
            await self.session.refresh(loaded.report)
        return await self._read(loaded, values, True)

    async def submit(self, report_id: uuid.UUID, expected_revision: int | None) -> ReportRead:
        loaded = await self._load(report_id, lock=True)
        self._ensure_writer(loaded)
        self._ensure_status(loaded.report, EDITABLE, "сдать")
        self._ensure_revision(loaded.report, expected_revision)
        if loaded.period.end >= self.today:
            raise Conflict(f"Период «{loaded.period.label}» ещё не закончился: сдать отчёт можно после него")
        stored, manual = await self.repo.values(report_id)
        values = await self._fresh(loaded, manual)
        found = engine.violations(loaded.version, values, await self._others(loaded))
        errors = [violation_read(v) for v in found if v.severity == "error"]
        if errors:
            raise ControlRatiosFailed(errors)
        report = loaded.report
        status_from = report.status
        changes = _diff(stored, values)
        if changes:
            await self.repo.write_values(report_id, values, engine.plan(loaded.version).manual)
        now = await self.repo.now()
        await self.repo.update_report(
            report_id, status="submitted", submitted_by=self.principal.subject, submitted_at=now
        )
        await self.repo.log(
            report_id,
            self.principal.subject,
            "submit",
            status_from=status_from,
            status_to="submitted",
            changes=changes or None,
        )
        await self._audit(report, "сдан")
        await self.session.refresh(report)
        await add_event(
            self.session,
            ReportSubmitted(
                **_report_fields(report, values),
                due_date=report.due_date,
                late=now.date() > report.due_date,
                warnings=len(found),
            ),
            source=SOURCE,
            subject=str(report.id),
        )
        return await self._read(loaded, values, False)

    async def accept(self, report_id: uuid.UUID) -> ReportRead:
        loaded = await self._load(report_id, lock=True)
        self._ensure_acceptor(loaded)
        self._ensure_status(loaded.report, {"submitted"}, "принять")
        report = loaded.report
        stored, _ = await self.repo.values(report_id)
        reason = f"Принят отчёт {loaded.version.short} за {loaded.period.label}"
        locked = await self.repo.lock_months(
            report.mo_id, loaded.period.months, report.id, reason, self.principal.subject
        )
        now = await self.repo.now()
        await self.repo.update_report(
            report_id, status="accepted", decided_by=self.principal.subject, decided_at=now
        )
        await self.repo.log(
            report_id, self.principal.subject, "accept", status_from="submitted", status_to="accepted"
        )
        await self._audit(report, "принят, период закрыт")
        await self.session.refresh(report)
        await add_event(
            self.session,
            ReportAccepted(**_report_fields(report, stored), months_locked=locked),
            source=SOURCE,
            subject=str(report.id),
        )
        return await self._read(loaded, stored, False)

    async def return_(self, report_id: uuid.UUID, comment: str) -> ReportRead:
        loaded = await self._load(report_id, lock=True)
        self._ensure_acceptor(loaded)
        self._ensure_status(loaded.report, {"submitted"}, "вернуть")
        report = loaded.report
        now = await self.repo.now()
        await self.repo.update_report(
            report_id, status="returned", decided_by=self.principal.subject, decided_at=now, comment=comment
        )
        await self.repo.log(
            report_id,
            self.principal.subject,
            "return",
            status_from="submitted",
            status_to="returned",
            comment=comment,
        )
        await self._audit(report, f"возвращён на доработку: {comment}")
        await self.session.refresh(report)
        values, live = await self._current(loaded)
        return await self._read(loaded, values, live)

    async def comment(self, report_id: uuid.UUID, comment: str) -> list[HistoryRead]:
        loaded = await self._load(report_id)
        can_write = self.principal.has("finance.report:write")
        can_accept = loaded.version.accepted_by in self.principal.roles
        if not (can_write or can_accept):
            raise Forbidden("Комментировать отчёт может МО или тот, кто его принимает")
        if loaded.report.status == "accepted":
            raise Conflict("Отчёт принят и больше не меняется")
        await self.repo.log(report_id, self.principal.subject, "comment", comment=comment)
        await self._audit(loaded.report, f"комментарий: {comment}")
        return await self.history(report_id)

    async def values_for_export(self, report_id: uuid.UUID) -> tuple[ReportRead, FormVersion]:
        loaded = await self._load(report_id)
        values, live = await self._current(loaded)
        read = await self._read(loaded, values, live)
        await audit_access(
            self.session, self.principal, action="export", resource=f"finance_report:{report_id}"
        )
        return read, loaded.version
