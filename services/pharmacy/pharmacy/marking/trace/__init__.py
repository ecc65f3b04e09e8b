"""Reports of packages leaving circulation to the national track-and-trace system (ИС МДЛП):
the documents (``documents``), the queue (``queue.queue_disposal``), the outbound adapters
(``adapters``: a file drop and an in-process simulator) and the sender that delivers them."""
