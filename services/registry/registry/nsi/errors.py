"""Typed errors of the NSI feature (rendered as problem+json by the kit)."""

from oms_kit.errors import Conflict, InvalidInput, NotFound


class UnknownDictionary(NotFound):
    code = "nsi-unknown-dictionary"
    title = "Справочник не найден"


class VersionNotFound(NotFound):
    code = "nsi-version-not-found"
    title = "Версия справочника не найдена"


class EntryNotFound(NotFound):
    code = "nsi-entry-not-found"
    title = "Запись справочника не найдена"


class VersionExists(Conflict):
    code = "nsi-version-exists"
    title = "Версия справочника уже загружена"


class UnknownCode(InvalidInput):
    """A code another feature was given is not in the dictionary on the date: the detail names
    the field, so the 422 tells the client which of its inputs to fix."""

    code = "nsi-unknown-code"
    title = "Код не найден в справочнике НСИ"

    def __init__(self, detail: str, *, field: str) -> None:
        super().__init__(detail, field=field)


class NothingToImport(Exception):
    """No row of the file can become an entry (the message is for the user)."""
