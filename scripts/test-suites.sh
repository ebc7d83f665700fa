#!/usr/bin/env bash
# `make test`: the SQLite and the PostgreSQL suite side by side (CI has 2 cores, one suite each), each
# into its own log, var/test-logs/<suite>.log (kept for the CI output). When both have ended the logs
# are printed one after the other, then one summary line per suite. Exit status 1 when either suite
# failed, or ended without pytest's summary line.
# Each suite writes its files under var/test-<suite>/ (config/settings/test.py), so they share none.
set -u
set -m  # each suite in its own process group, so an interruption can stop it whole
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
LOGS=var/test-logs
SUITES=(sqlite postgres)
declare -A NAME=([sqlite]=SQLite [postgres]=PostgreSQL)
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log "$LOGS"/*.status

started=$(date +%s)
pids=()
for suite in "${SUITES[@]}"; do
  (
    begin=$(date +%s)
    # UV as make test found it (else each suite would look for, or install, its own at the same time).
    $MAKE --no-print-directory "test-$suite" ${UV:+UV="$UV"} >"$LOGS/$suite.log" 2>&1
    rc=$?
    echo "$rc $(($(date +%s) - begin))" >"$LOGS/$suite.status"
    echo "-- ${NAME[$suite]} klaar / done (exit $rc) na $(($(date +%s) - started)) s"
  ) &
  pids+=($!)
done
echo "== tests op SQLite en PostgreSQL, naast elkaar / side by side; logs: $LOGS/{sqlite,postgres}.log =="
# A progress line every PROGRESS_SECONDS (pytest's percentage per suite), so a long run is not silent.
(
  while sleep "${PROGRESS_SECONDS:-120}"; do
    line="-- $(($(date +%s) - started)) s:"
    for suite in "${SUITES[@]}"; do
      pct=$(grep -oE '\[ *[0-9]+%\]' "$LOGS/$suite.log" 2>/dev/null | tail -n 1 | tr -d '[] ')
      [ -f "$LOGS/$suite.status" ] && pct=klaar/done
      line+=" ${NAME[$suite]} ${pct:-start}"
    done
    echo "$line"
  done
) &
ticker=$!
# Stop both suites when this script is interrupted (Ctrl+C, CI cancelling the job).
trap 'for pid in "${pids[@]}" "$ticker"; do kill -TERM -- "-$pid" 2>/dev/null; done; exit 130' INT TERM
wait "${pids[@]}"
trap - INT TERM
kill -TERM -- "-$ticker" 2>/dev/null
wait "$ticker" 2>/dev/null

failed=0
summary=()
for suite in "${SUITES[@]}"; do
  echo
  echo "================================ ${NAME[$suite]} ($LOGS/$suite.log) ================================"
  cat "$LOGS/$suite.log"
  read -r rc seconds <"$LOGS/$suite.status" 2>/dev/null || { rc=1; seconds=?; }
  # pytest's last line: "===== 1726 passed, 28 skipped in 455.11s (0:07:35) =====" (no ='s with -q).
  result=$(grep -E '([0-9]+ (passed|failed|errors?|skipped)|no tests ran).* in [0-9.]+s' "$LOGS/$suite.log" |
    tail -n 1 | sed -E 's/^=+ //; s/ =+$//')
  if [ "$rc" = 0 ] && [ -n "$result" ]; then verdict=OK; else verdict="FOUT/FAILED (exit $rc)"; failed=1; fi
  summary+=("$(printf '%-11s %-22s %s; %s s with set-up' "${NAME[$suite]}:" "$verdict" "${result:-no pytest summary}" "$seconds")")
done
echo
echo "== samenvatting / summary ($(($(date +%s) - started)) s side by side) =="
printf '%s\n' "${summary[@]}"
exit $failed
