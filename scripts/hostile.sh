#!/usr/bin/env bash
# The long hostile-input run (issue 7): every property-test suite of the workspace, one after
# the other, in the release profile, with PROPTEST_CASES cases per property (default 100000).
# `cargo test` runs the same properties with a few dozen cases each. proptest (1.11) applies
# PROPTEST_CASES on top of any `#![proptest_config(...)]`, so no suite can hard-code fewer.
#
#   scripts/hostile.sh                 # all suites, 100k cases per property
#   PROPTEST_CASES=2000 scripts/hostile.sh ingest server   # suites whose name contains a word
#   COUNT=1 PROPTEST_CASES=300 scripts/hostile.sh   # also count the cases each property ran
#
# COUNT=1 sets PROPTEST_VERBOSE=2, which makes proptest log every case, and counts the passed
# and rejected cases per property: the check that no suite hard-codes a smaller count. It is
# slow and verbose; use it with a small PROPTEST_CASES.
#
# Prints one line per suite: name, cases per property, wall seconds, result; logs go to
# $LOG_DIR (default target/hostile). Exits non-zero if any suite failed.
set -uo pipefail

cd "$(dirname "$0")/.."
export PROPTEST_CASES="${PROPTEST_CASES:-100000}"
# proptest gives up after 1024 `prop_assume!` rejections per property, a fixed number meant for
# the default 256 cases; the GeoNames row properties reject a few percent of their inputs, so
# allow as many rejections as cases.
export PROPTEST_MAX_GLOBAL_REJECTS="${PROPTEST_MAX_GLOBAL_REJECTS:-$PROPTEST_CASES}"
LOG_DIR="${LOG_DIR:-${CARGO_TARGET_DIR:-target}/hostile}"
mkdir -p "$LOG_DIR"

# name | package | cargo target selection | test-name filters (empty: the whole target).
# Only the property tests are selected; the hand-made cases in the same targets run in
# `cargo test` (the slow ones: `--release -- --include-ignored`). The slowest suites come last.
SUITES=(
  "text-props|frontline-text|--test props|"
  "gazetteer-rows|frontline-gazetteer|--lib|geonames::tests::geoname_parser geonames::tests::column_count_errors_name_the_count"
  "gazetteer-hostile|frontline-gazetteer|--test hostile_geonames|"
  "extract-quantity|frontline-extract|--lib|quantity::props::"
  "extract-time|frontline-extract|--lib|time::props::"
  "extract-pipeline|frontline-extract|--lib|pipeline::tests::never_panics_and_spans_hold pipeline::tests::wordy_garble_is_fine"
  "ingest-readers|frontline-ingest|--lib|tests::warc_reader_never_panics tests::http_and_chunked_payloads_never_panic tests::jsonl_reader_never_panics tests::sniff_never_panics html::tests::never_panics_on_arbitrary_markup dates::tests::never_panics dates::tests::written_out_round_trips dates::tests::unix_seconds_round_trip charset::tests::never_panics charset::tests::valid_utf8_without_declaration_is_kept frontmatter::tests::never_panics_and_body_is_a_suffix"
  "store-copies|frontline-store|--lib|copies::tests::signature_bytes_round_trip"
  "server-query|frontline-server|--test hostile_query|query_parameters_get_200_or_a_stable_400 one_malformed_parameter_gets_its_own_code raw_query_strings_never_fail_the_server ids_are_checked"
  "ingest-hostile|frontline-ingest|--test hostile_ingest|any_bytes_in_a_file_give_documents_or_clear_errors sniff_never_panics read_html_never_panics parse_date_never_panics parse_date_round_trips_iso_dates a_lying_content_length_loses_no_other_record"
  "extract-hostile|frontline-extract|--test hostile_extract|extract_bytes_never_panics mutated_wire_copy_gives_valid_spans numbers_and_dates_of_any_size times_and_quantities_on_any_text"
)

want=("$@")
selected() {
  [ ${#want[@]} -eq 0 ] && return 0
  for w in "${want[@]}"; do [[ "$1" == *"$w"* ]] && return 0; done
  return 1
}

extra=()
if [ "${COUNT:-0}" = 1 ]; then
  export PROPTEST_VERBOSE=2
  extra=(--nocapture --test-threads=1)
fi

failed=0
printf '%-18s %10s %10s  %s\n' suite cases wall_s result
for s in "${SUITES[@]}"; do
  IFS='|' read -r name pkg target filters <<<"$s"
  selected "$name" || continue
  log="$LOG_DIR/$name.log"
  # Build first, so the wall time below is the run alone.
  # shellcheck disable=SC2086
  if ! cargo test --release --locked -p "$pkg" $target --no-run >"$log" 2>&1; then
    printf '%-18s %10s %10s  %s\n' "$name" - - "BUILD FAILED ($log)"
    failed=1
    continue
  fi
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  cargo test --release --locked -p "$pkg" $target -- $filters "${extra[@]}" >>"$log" 2>&1
  rc=$?
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc)
  result=$(grep -E '^test result:' "$log" | tail -1 | sed 's/^test result: //; s/; finished.*//')
  [ $rc -eq 0 ] || { failed=1; result="FAILED rc=$rc ($log): $result"; }
  printf '%-18s %10s %10.1f  %s\n' "$name" "$PROPTEST_CASES" "$wall" "$result"
  if [ "${COUNT:-0}" = 1 ]; then
    # With --nocapture and one thread, a test's log lines follow its "test NAME ... " line.
    awk '
      /^test .* \.\.\. / { name = $2; if (!(name in seen)) { seen[name] = 1; order[++n] = name } }
      { p = gsub(/Test case passed/, "&"); r = gsub(/Test case rejected/, "&");
        if (name != "") { passed[name] += p; rejected[name] += r } }
      END { for (i = 1; i <= n; i++) if (passed[order[i]] + rejected[order[i]] > 0)
              printf "    %-60s passed %d, rejected %d\n", order[i], passed[order[i]], rejected[order[i]] }
    ' "$log"
  fi
done
exit $failed
