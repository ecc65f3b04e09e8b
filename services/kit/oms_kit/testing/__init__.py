"""Test support for every service: real PostgreSQL and RabbitMQ, never mocks of them."""
