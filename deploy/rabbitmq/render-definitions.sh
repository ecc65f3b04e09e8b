#!/bin/sh
# Entrypoint of the rabbitmq container. RabbitMQ does not create its default user when it
# imports definitions at boot, and definitions files cannot read the environment, so the
# users are filled into definitions.json here, from RABBITMQ_* variables (deploy/.env),
# before the image's own entrypoint starts the server. Nothing secret is committed.
set -eu

: "${RABBITMQ_USER:?RABBITMQ_USER is not set}"
: "${RABBITMQ_PASSWORD:?RABBITMQ_PASSWORD is not set}"
: "${RABBITMQ_ADMIN_USER:?RABBITMQ_ADMIN_USER is not set}"
: "${RABBITMQ_ADMIN_PASSWORD:?RABBITMQ_ADMIN_PASSWORD is not set}"

# The application's credentials also go into OMS_BROKER_URL unescaped: keep them to
# characters that need no escaping in a URL, a JSON string or a sed replacement.
for value in "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" "$RABBITMQ_ADMIN_USER" "$RABBITMQ_ADMIN_PASSWORD"; do
    case "$value" in
        *[!A-Za-z0-9._~-]*)
            echo "render-definitions: RabbitMQ user names and passwords may use only A-Z a-z 0-9 . _ ~ -" >&2
            exit 1
            ;;
    esac
done

umask 077
sed -e "s/@RABBITMQ_USER@/${RABBITMQ_USER}/g" \
    -e "s/@RABBITMQ_PASSWORD@/${RABBITMQ_PASSWORD}/g" \
    -e "s/@RABBITMQ_ADMIN_USER@/${RABBITMQ_ADMIN_USER}/g" \
    -e "s/@RABBITMQ_ADMIN_PASSWORD@/${RABBITMQ_ADMIN_PASSWORD}/g" \
    /etc/oms/rabbitmq/definitions.json > /etc/rabbitmq/definitions.json
chown rabbitmq:rabbitmq /etc/rabbitmq/definitions.json

exec docker-entrypoint.sh rabbitmq-server
