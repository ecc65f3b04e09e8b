"""Bulk import and export of the register of insured persons (file format: docs/formats.md,
«Регистр застрахованных: формат файла импорта/выгрузки»)."""
