"""The embedded shape of OMS Region (`make run`): one process, embedded PostgreSQL, the
gateway and the four services composed in-process, demo data seeded on first start."""
