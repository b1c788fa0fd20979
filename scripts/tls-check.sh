#!/usr/bin/env bash
# TLS check: starts MCart with a generated certificate (signed by a throw-away CA) on 127.0.0.1 and runs
# testssl.sh against it. Fails when testssl reports any finding of MEDIUM severity or worse.
#
#   apt-get install -y testssl.sh openssl
#   scripts/tls-check.sh          # TLS_CHECK_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
#
# Loopback only (the throw-away OCSP responder listens on every interface, see below). The report (JSON and text) is left in $OUT (default: a temp folder, printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_ADMIN="${TLS_CHECK_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB=mcart_tls_check
PORT="${TLS_CHECK_PORT:-18443}"
OCSP_PORT="${TLS_CHECK_OCSP_PORT:-18888}"
OUT="${OUT:-$(mktemp -d /tmp/mcart-tls-check-XXXXXX)}"
WORK="$(mktemp -d /tmp/mcart-tls-work-XXXXXX)"
SERVER_PID=""
OCSP_PID=""

cleanup() {
  if [[ -n "$OCSP_PID" ]] && kill -0 "$OCSP_PID" 2>/dev/null; then kill -TERM "$OCSP_PID"; fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v testssl >/dev/null || command -v testssl.sh >/dev/null || { echo "testssl.sh is missing: apt-get install -y testssl.sh"; exit 2; }
TESTSSL="$(command -v testssl || command -v testssl.sh)"

# A CA and a server certificate for localhost / 127.0.0.1 (ECDSA P-256; the server also works with RSA).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 400 -subj "/CN=MCart TLS check CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
# Judged like a production certificate: 200 days (testssl flags < 60 days), a CRL location (testssl flags its
# absence; nothing is fetched from it) and an OCSP responder, which runs below so the server staples for real.
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\ncrlDistributionPoints=URI:http://127.0.0.1:9/mcart-check.crl\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:%s/\n' "$OCSP_PORT" > "$WORK/ext.cnf"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 200 \
  -extfile "$WORK/ext.cnf" -out "$WORK/server.crt" 2>/dev/null
cat "$WORK/server.crt" "$WORK/ca.pem" > "$WORK/chain.crt"

# The CA's OCSP responder (openssl's own; its index says the server certificate is valid). It listens on
# every interface (openssl ocsp has no bind address); the certificate and the server only use 127.0.0.1.
SERIAL="$(openssl x509 -in "$WORK/server.crt" -noout -serial | cut -d= -f2)"
EXPIRY="$(date -u -d "$(openssl x509 -in "$WORK/server.crt" -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)"
printf 'V\t%s\t\t%s\tunknown\t/CN=localhost\n' "$EXPIRY" "$SERIAL" > "$WORK/index.txt"
openssl ocsp -index "$WORK/index.txt" -port "$OCSP_PORT" -rsigner "$WORK/ca.pem" -rkey "$WORK/ca.key" \
  -CA "$WORK/ca.pem" -ndays 1 -ignore_err > "$OUT/ocsp.log" 2>&1 &
OCSP_PID=$!
for _ in $(seq 1 50); do grep -q ACCEPT "$OUT/ocsp.log" && break; sleep 0.2; done
grep -q ACCEPT "$OUT/ocsp.log" || { echo "the OCSP responder did not start"; cat "$OUT/ocsp.log"; exit 1; }

psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB" >/dev/null
DB_URL="${PG_ADMIN%/*}/$DB"

NODE_ENV=production PAYMENT_PROVIDER=test TEST_GATEWAY_WEBHOOK_SECRET="tls-check-test-gateway-secret-0123456789" \
  DATABASE_URL="$DB_URL" HOST=127.0.0.1 PORT="$PORT" TLS=on \
  TLS_CERT_FILE="$WORK/chain.crt" TLS_KEY_FILE="$WORK/server.key" PUBLIC_URL="https://localhost:$PORT" \
  JWT_SECRET="tls-check-secret-that-is-long-enough-0123456789" \
  MCART_ENCRYPTION_KEYS="k1:$(head -c 32 /dev/urandom | base64)" \
  MCART_ADMIN_EMAIL=tls@mcart.test MCART_ADMIN_PASSWORD="tls check password 0123456789" \
  MCART_SEED=off MCART_JOBS=off BACKUP_CRON=off LOG_LEVEL=warn MCART_DATA_DIR="$WORK/data" \
  node --import tsx apps/server/src/main.ts > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fs --cacert "$WORK/ca.pem" "https://localhost:$PORT/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs --cacert "$WORK/ca.pem" "https://localhost:$PORT/ready" >/dev/null || { echo "server did not start"; cat "$OUT/server.log"; exit 1; }
# The server fetches its OCSP response in the background as it starts: wait until it staples one.
for _ in $(seq 1 30); do
  echo | openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -status 2>/dev/null \
    | grep -q "OCSP Response Status: successful" && break
  sleep 1
done
echo "MCart listening on https://127.0.0.1:$PORT; running testssl.sh (takes a few minutes) ..."

# --ip pins the loopback address; --add-ca trusts the throw-away CA so the chain is judged like a real one.
"$TESTSSL" --quiet --color 0 --warnings off --add-ca "$WORK/ca.pem" --ip 127.0.0.1 \
  --jsonfile "$OUT/testssl.json" --logfile "$OUT/testssl.log" "https://localhost:$PORT" > /dev/null || true

status=0
node -e '
const findings = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const rank = { OK: 0, INFO: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4, WARN: 0, DEBUG: 0 };
const bad = findings.filter((f) => (rank[f.severity] ?? 0) >= 2);
const low = findings.filter((f) => f.severity === "LOW");
const pick = (id) => findings.find((f) => f.id === id)?.finding ?? "(not reported)";
console.log("protocols: SSLv2 " + pick("SSLv2") + " | SSLv3 " + pick("SSLv3") + " | TLS1 " + pick("TLS1") + " | TLS1_1 " + pick("TLS1_1") + " | TLS1_2 " + pick("TLS1_2") + " | TLS1_3 " + pick("TLS1_3"));
console.log("forward secrecy: " + (findings.find((f) => f.id === "FS" || f.id === "PFS")?.finding ?? "(not reported)") + " | HSTS: " + pick("HSTS_time") + " | OCSP stapling: " + pick("OCSP_stapling"));
for (const f of low) console.log("LOW      " + f.id + ": " + f.finding);
for (const f of bad) console.log(f.severity.padEnd(9) + f.id + ": " + f.finding);
console.log(bad.length ? "RESULT: FAIL (" + bad.length + " finding(s) of MEDIUM or worse)" : "RESULT: PASS (no finding of MEDIUM severity or worse; " + findings.length + " checks)");
process.exit(bad.length ? 1 : 0);
' "$OUT/testssl.json" || status=$?
echo "report: $OUT/testssl.log, $OUT/testssl.json"
exit $status
