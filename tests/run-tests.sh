#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The test runner behind 'make check': unit tests, CLI golden tests and
# fuzz-corpus replays.  Last line: "N passed, N failed".
#   B=build-dir  UPDATE=1 rewrites CLI expectations  ONLY=pattern runs a subset
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
bdir="$top/$B"
pass=0
fail=0
skip=0
failed=()

note_fail() { fail=$((fail + 1)); failed+=("$1"); }

# ---- unit tests: TAP-ish lines from each binary --------------------------------
for t in "$bdir"/tests/t-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ -n "${ONLY:-}" ] && [[ $name != *$ONLY* ]] && continue
	out=$(cd "$top" && "$t" 2>&1)
	rc=$?
	k=$(grep -c '^ok .*# SKIP' <<<"$out")
	p=$(($(grep -c '^ok ' <<<"$out") - k))
	f=$(grep -c '^not ok ' <<<"$out")
	pass=$((pass + p))
	skip=$((skip + k))
	if [ "$f" -gt 0 ]; then
		fail=$((fail + f))
		while IFS= read -r l; do failed+=("$name: $l"); done < <(grep -A2 '^not ok ' <<<"$out")
	fi
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		note_fail "$name: exited $rc without a failing check (crash?)"
		tail -5 <<<"$out" | sed 's/^/    /'
	fi
	grep '^ok .*# SKIP' <<<"$out" | sed 's/^/    /'
	sk=
	[ "$k" -gt 0 ] && sk=", $k skipped"
	echo "unit  $name: $p passed, $f failed$sk"
done

# ---- fuzz corpora replayed as regression tests ---------------------------------
for r in "$bdir"/tests/fuzz-*-regress; do
	[ -x "$r" ] || continue
	name=$(basename "$r" -regress)
	[ -n "${ONLY:-}" ] && [[ $name != *$ONLY* ]] && continue
	corpus="$top/tests/fuzz/corpus/${name#fuzz-}"
	if [ ! -d "$corpus" ]; then
		note_fail "$name: no corpus at tests/fuzz/corpus/${name#fuzz-}"
		continue
	fi
	if out=$("$r" "$corpus" 2>&1); then
		pass=$((pass + 1))
		echo "fuzz  $name: $(tail -1 <<<"$out")"
	else
		note_fail "$name: $(tail -3 <<<"$out" | tr '\n' ' ')"
		echo "fuzz  $name: FAILED"
	fi
done

# ---- CLI golden tests ---------------------------------------------------------------
# tests/cli/<group>/<case>.cmd holds one shell command; beside it <case>.out
# (stdout), <case>.err (stderr) and <case>.exit (status) are the expectations.
export PATH="$bdir:$PATH"
export VTD_DATA="$top/tests/data" VTD_SAMPLES="$top/samples"
export LC_ALL=C NO_COLOR=1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
ncli=0
for cmdf in "$top"/tests/cli/*/*.cmd; do
	[ -f "$cmdf" ] || continue
	case=${cmdf%.cmd}
	rel=${case#"$top/tests/cli/"}
	[ -n "${ONLY:-}" ] && [[ $rel != *$ONLY* ]] && continue
	rm -rf "$scratch/work" && mkdir -p "$scratch/work"
	(cd "$(dirname "$cmdf")" && TMPDIR="$scratch/work" WORK="$scratch/work" \
		bash -c "$(cat "$cmdf")" >"$scratch/out" 2>"$scratch/err" </dev/null)
	echo $? >"$scratch/exit"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$scratch/out" "$case.out"
		cp "$scratch/err" "$case.err"
		cp "$scratch/exit" "$case.exit"
	fi
	ok=1
	for k in out err exit; do
		if [ ! -f "$case.$k" ]; then
			ok=0
			echo "  $rel: missing $rel.$k (run make check UPDATE=1)"
		elif ! cmp -s "$case.$k" "$scratch/$k"; then
			ok=0
			echo "  $rel: $k differs:"
			diff -u "$case.$k" "$scratch/$k" | head -20 | sed 's/^/    /'
		fi
	done
	ncli=$((ncli + 1))
	if [ $ok = 1 ]; then pass=$((pass + 1)); else note_fail "cli $rel"; fi
done
echo "cli   $ncli cases"

# ---- extra suites (e.g. the QEMU harness) register scripts here -----------------------
for s in "$top"/tests/suites/*.sh; do
	[ -f "$s" ] || continue
	[ -n "${ONLY:-}" ] && [[ $(basename "$s") != *$ONLY* ]] && continue
	out=$(B="$B" bash "$s" 2>&1)
	rc=$?
	k=$(grep -c '^ok .*# SKIP' <<<"$out")
	p=$(($(grep -c '^ok ' <<<"$out") - k))
	f=$(grep -c '^not ok ' <<<"$out")
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + k))
	grep -A3 '^not ok ' <<<"$out" | sed 's/^/    /'
	grep '^ok .*# SKIP' <<<"$out" | sed 's/^/    /'
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		note_fail "$(basename "$s"): exited $rc"
		tail -5 <<<"$out" | sed 's/^/    /'
	fi
	sk=
	[ "$k" -gt 0 ] && sk=", $k skipped"
	echo "suite $(basename "$s"): $p passed, $f failed$sk"
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "failures:"
	printf '  %s\n' "${failed[@]}" | head -60
fi
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
