# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the shell suites of tests/suites/ (sourced): numbered
# "ok"/"not ok" lines that tests/run-tests.sh counts, with detail lines.
n=0
nfail=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
# not_ok DESCRIPTION [DETAIL...]
not_ok() {
	n=$((n + 1))
	nfail=$((nfail + 1))
	echo "not ok $n - $1"
	if [ $# -gt 1 ]; then printf '#   %s\n' "${@:2}"; fi
}
# skip DESCRIPTION REASON: counted as skipped, never as passed
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
