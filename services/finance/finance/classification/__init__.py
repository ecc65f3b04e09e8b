"""Classification of payment orders to a КВФО and a КОСГУ: explicit rules first (codes written
in the purpose or the КБК, known counterparties), then a text classifier trained on the
classified payments; low-confidence payments go to a review list whose decisions feed the next
training."""
