#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# docs-sync: the man page, the bash completion and the tool agree.
#   - every option vtd-decode --completion-helper prints is in the man page
#   - the man page lists every exit status 0-5
#   - the bash completion parses, and completes options and structures
# Prints "ok ..." / "not ok ..." lines for tests/run-tests.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
tool="$top/$B/vtd-decode"
man="$top/man/vtd-decode.1.in"
bcomp="$top/completions/vtd-decode.bash"
. "$top/tests/tap.sh"
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

if [ ! -x "$tool" ]; then
	not_ok "vtd-decode is built" "no $tool (run make B=$B)"
	exit 1
fi
if [ ! -f "$man" ]; then
	not_ok "man page source exists" "no $man"
	exit 1
fi

# The man page source with roff's "\-" turned into "-", so that options can
# be searched for as they are typed.
mantext=$(sed -e 's/\\-/-/g' "$man")

# An option as a whole word: "-j" must not match inside "-jx" or "--json".
mentions() {
	grep -qE -- "(^|[^[:alnum:]-])$1([^[:alnum:]-]|\$)" <<<"$mantext"
}

# ---- options ------------------------------------------------------------------
opts=$("$tool" --completion-helper) || not_ok "vtd-decode --completion-helper runs"
nopts=0
while read -r opt _; do
	[ -n "$opt" ] || continue
	nopts=$((nopts + 1))
	if mentions "$opt"; then
		ok "man page documents $opt"
	else
		not_ok "man page documents $opt" "man/vtd-decode.1.in never mentions $opt"
	fi
done <<<"$opts"
if [ "$nopts" -ge 10 ]; then
	ok "completion helper lists $nopts options"
else
	not_ok "completion helper lists options" "only $nopts lines from --completion-helper"
fi
for opt in -h --help -V --version; do
	if mentions "$opt"; then ok "man page documents $opt"; else not_ok "man page documents $opt"; fi
done

# ---- exit status ----------------------------------------------------------------
# Each code as the tag of a .TP paragraph in the EXIT STATUS section.
exits=$(sed -n '/^\.SH "*EXIT STATUS/,/^\.SH /p' "$man")
if [ -n "$exits" ]; then
	ok "man page has an EXIT STATUS section"
else
	not_ok "man page has an EXIT STATUS section"
fi
for code in 0 1 2 3 4 5; do
	if grep -A1 '^\.TP' <<<"$exits" | grep -qE "^(\.B )?$code\$"; then
		ok "man page lists exit status $code"
	else
		not_ok "man page lists exit status $code"
	fi
done

# ---- the man page renders cleanly -----------------------------------------------------
if command -v groff >/dev/null 2>&1; then
	warn=$(sed -e 's/@VERSION@/0/g' -e 's/@DATE@/2000-01-01/g' "$man" |
		groff -man -Tutf8 -ww -z 2>&1)
	if [ -z "$warn" ]; then
		ok "man page renders without groff warnings"
	else
		not_ok "man page renders without groff warnings" "$(head -3 <<<"$warn")"
	fi
else
	ok "man page renders without groff warnings # skip groff not installed"
fi

# ---- bash completion --------------------------------------------------------------------
check "bash -n completions/vtd-decode.bash" bash -n "$bcomp"

# Complete the words given as "vtd-decode WORD...", the last one under the
# cursor, in a fresh bash; prints the candidates one a line.
complete_words() {
	PATH="$top/$B:$PATH" bash -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=(vtd-decode "$@")
		COMP_CWORD=$#
		_vtd_decode
		printf "%s\n" "${COMPREPLY[@]}"' _ "$bcomp" "$@" 2>&1
}

# expect_words "WORDS" CANDIDATE...: completing WORDS offers every CANDIDATE.
expect_words() {
	local words=$1 got c missing=()
	shift
	local -a w=()
	read -ra w <<<"$words"
	# A trailing blank: the cursor is on a new, empty word.
	[[ -z $words || $words == *' ' ]] && w+=("")
	got=$(complete_words "${w[@]}")
	for c in "$@"; do
		grep -qxF -- "$c" <<<"$got" || missing+=("$c")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		ok "bash: 'vtd-decode $words' offers $*"
	else
		not_ok "bash: 'vtd-decode $words' offers $*" "missing: ${missing[*]}" \
			"got: $(tr '\n' ' ' <<<"$got")"
	fi
}

expect_words "--fi" --file --fields
expect_words "context-legacy --fi" --file --fields
expect_words "cont" context-legacy context-sm
expect_words "--fields cont" context-legacy context-sm
expect_words "in" inv inv-wait
expect_words "d" dmar
expect_words "r" regs
expect_words "-w " 128 256
expect_words "--encode context-legacy " p= tt= did=
expect_words "--encode context-legacy tt=pass" tt=pass-through
expect_words "-e cap sagaw=" sagaw=39-bit sagaw=48-bit

# Every structure --list names is offered for an empty first word.
all=$(complete_words "")
absent=$("$tool" --list | awk '{ print $1 }' | grep -vxF -f <(printf '%s\n' "$all") | tr '\n' ' ')
if [ -z "$absent" ]; then
	ok "bash: every structure of --list is completed"
else
	not_ok "bash: every structure of --list is completed" "missing: $absent"
fi

echo "# docs-sync: $n checks, $nfail failed"
[ "$nfail" -eq 0 ]
