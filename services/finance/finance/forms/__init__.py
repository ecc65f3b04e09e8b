"""Regulated report forms (issue 6, «Regulated report forms»): declarative templates
(``templates``, the forms themselves in ``f14``/``f62``), the engine that fills them from the
collected data and checks their control ratios (``engine``), the report workflow per MO, form
and period (``service``) and the exports (``xlsx``, ``pdf``, ``exchange``)."""
