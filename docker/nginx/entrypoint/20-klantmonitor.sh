#!/bin/sh
# Run by the nginx image's entrypoint (/docker-entrypoint.d) before nginx starts.
#  1. TLS: the operator's certificate in /etc/nginx/tls (fullchain.pem, privkey.pem; compose mounts
#     TLS_DIR there). Without one, TLS_SELF_SIGNED=true makes a self-signed certificate for a local
#     try (browsers will warn); otherwise nginx does not start.
#  2. TRUSTED_PROXIES: comma-separated addresses or CIDR ranges of the operator's own proxy or load
#     balancer in front of this nginx. Their X-Forwarded-For is believed (real_ip module), so the
#     api's per-address limits and audit log see the client instead of the proxy. Empty: nobody's.
set -eu

# (The two paths can be moved for the tests: apps/api-e2e/src/api/deploy-config.spec.ts runs this file.)
TLS="${KM_TLS_DIR:-/etc/nginx/tls}"
if [ ! -s "$TLS/fullchain.pem" ] || [ ! -s "$TLS/privkey.pem" ]; then
  if [ "${TLS_SELF_SIGNED:-false}" = "true" ]; then
    name="${TLS_SERVER_NAME:-localhost}"
    echo "klantmonitor: no certificate in $TLS; making a self-signed one for $name (a local try only)"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$name" \
      -addext "subjectAltName=DNS:$name" -keyout "$TLS/privkey.pem" -out "$TLS/fullchain.pem" 2>/dev/null
  else
    echo "klantmonitor: no certificate: put fullchain.pem and privkey.pem in TLS_DIR, or set TLS_SELF_SIGNED=true for a local try" >&2
    exit 1
  fi
fi

snippet="${KM_REAL_IP_SNIPPET:-/etc/nginx/snippets/real-ip.conf}"
: > "$snippet"
if [ -n "${TRUSTED_PROXIES:-}" ]; then
  for proxy in $(echo "$TRUSTED_PROXIES" | tr ',' ' '); do
    # An IPv4 or IPv6 address or range, nothing else (the value lands in nginx's configuration).
    if ! echo "$proxy" | grep -Eq '^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*)(/[0-9]{1,3})?$'; then
      echo "klantmonitor: TRUSTED_PROXIES: '$proxy' is not an address or range" >&2
      exit 1
    fi
    echo "set_real_ip_from $proxy;" >> "$snippet"
  done
  echo "real_ip_header X-Forwarded-For;" >> "$snippet"
  # The right-most address not of a trusted proxy: a client cannot choose its own by adding one.
  echo "real_ip_recursive on;" >> "$snippet"
fi
