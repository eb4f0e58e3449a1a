#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# docs-sync: the man pages, the shell completions and the tools agree.
# For each tool of $tools:
#   - every option TOOL --completion-helper prints is in man/TOOL.1.in, and
#     so are -h, --help, -V and --version
#   - the man page lists every exit status 0-5 and renders without groff
#     warnings
#   - completions/TOOL.bash parses and offers every option for "-";
#     completions/_TOOL parses (zsh)
# Then completion checks of each tool's own words.  A tool that is not built
# fails its checks: the suite never skips a tool.
# Prints "ok ..." / "not ok ..." lines for tests/run-tests.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
tools=(vtd-decode vtd-sim vtd-compile vtd-dump vtd-top)
. "$top/tests/tap.sh"
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# An option as a whole word of the man page source $mantext (roff's "\-"
# turned into "-"): "-j" must not match inside "-jx" or "--json".
mentions() {
	grep -qE -- "(^|[^[:alnum:]-])$1([^[:alnum:]-]|\$)" <<<"$mantext"
}

# Complete the words given as "TOOL WORD...", the last one under the cursor,
# in a fresh bash with completions/TOOL.bash; prints the candidates one a
# line.  COMP_WORDS is split at blanks only, as with COMP_WORDBREAKS empty.
complete_words() {
	local t=$1
	shift
	PATH="$top/$B:$PATH" bash -c '
		source "$1" || exit 1
		fn=$2 t=$3
		shift 3
		COMP_WORDS=("$t" "$@")
		COMP_CWORD=$#
		"$fn"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$top/$B/completions/$t.bash" "_${t//-/_}" "$t" "$@" 2>&1
}

# expect_words TOOL "WORDS" CANDIDATE...: completing WORDS offers every CANDIDATE.
expect_words() {
	local t=$1 words=$2 got c missing=()
	shift 2
	local -a w=()
	read -ra w <<<"$words"
	# A trailing blank: the cursor is on a new, empty word.
	[[ -z $words || $words == *' ' ]] && w+=("")
	got=$(complete_words "$t" "${w[@]}")
	for c in "$@"; do
		grep -qxF -- "$c" <<<"$got" || missing+=("$c")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		ok "bash: '$t $words' offers $*"
	else
		not_ok "bash: '$t $words' offers $*" "missing: ${missing[*]}" \
			"got: $(tr '\n' ' ' <<<"$got")"
	fi
}

# ---- what every tool's documents must say -------------------------------------------
for t in "${tools[@]}"; do
	tool="$top/$B/$t"
	man="$top/man/$t.1.in"
	bcomp="$top/$B/completions/$t.bash"
	zcomp="$top/completions/_$t"
	built=1
	if [ -x "$tool" ]; then
		ok "$t is built"
	else
		built=0
		not_ok "$t is built" "no $tool (run make B=$B)"
	fi
	if [ ! -f "$man" ]; then
		not_ok "$t: man page source exists" "no $man"
		continue
	fi
	mantext=$(sed -e 's/\\-/-/g' "$man")

	# Options.
	opts=
	[ "$built" = 1 ] && opts=$("$tool" --completion-helper)
	nopts=0
	while read -r opt _; do
		[ -n "$opt" ] || continue
		nopts=$((nopts + 1))
		if mentions "$opt"; then
			ok "$t: man page documents $opt"
		else
			not_ok "$t: man page documents $opt" "man/$t.1.in never mentions $opt"
		fi
	done <<<"$opts"
	if [ "$nopts" -ge 10 ]; then
		ok "$t: completion helper lists $nopts options"
	else
		not_ok "$t: completion helper lists options" "only $nopts lines from $t --completion-helper"
	fi
	for opt in -h --help -V --version; do
		check "$t: man page documents $opt" mentions "$opt"
	done

	# Exit status: each code as the tag of a .TP paragraph in the EXIT STATUS section.
	exits=$(sed -n '/^\.SH "*EXIT STATUS/,/^\.SH /p' "$man")
	check "$t: man page has an EXIT STATUS section" test -n "$exits"
	for code in 0 1 2 3 4 5; do
		if grep -A1 '^\.TP' <<<"$exits" | grep -qE "^(\.B )?$code\$"; then
			ok "$t: man page lists exit status $code"
		else
			not_ok "$t: man page lists exit status $code"
		fi
	done

	# The man page renders cleanly.
	if command -v groff >/dev/null 2>&1; then
		warn=$(sed -e 's/@VERSION@/0/g' -e 's/@DATE@/2000-01-01/g' "$man" |
			groff -man -Tutf8 -ww -z 2>&1)
		if [ -z "$warn" ]; then
			ok "$t: man page renders without groff warnings"
		else
			not_ok "$t: man page renders without groff warnings" "$(head -3 <<<"$warn")"
		fi
	else
		skip "$t: man page renders without groff warnings" "groff not installed"
	fi

	# The completions parse, and bash offers every option for "-".
	check "bash -n completions/$t.bash" bash -n "$bcomp"
	if command -v zsh >/dev/null 2>&1; then
		check "zsh -n completions/_$t" zsh -n "$zcomp"
	else
		skip "zsh -n completions/_$t" "zsh not installed"
	fi
	# shellcheck disable=SC2046 # one option a word
	expect_words "$t" "-" --help --version $(awk '{ print $1 }' <<<"$opts")
done

# ---- vtd-decode: structures, fields and values --------------------------------------
expect_words vtd-decode "--fi" --file --fields
expect_words vtd-decode "context-legacy --fi" --file --fields
expect_words vtd-decode "cont" context-legacy context-sm
expect_words vtd-decode "--fields cont" context-legacy context-sm
expect_words vtd-decode "in" inv inv-wait
expect_words vtd-decode "d" dmar
expect_words vtd-decode "r" regs
expect_words vtd-decode "-w " 128 256
expect_words vtd-decode "--encode context-legacy " p= tt= did=
expect_words vtd-decode "--encode context-legacy tt=pass" tt=pass-through
expect_words vtd-decode "-e cap sagaw=" sagaw=39-bit sagaw=48-bit

# Every structure --list names is offered for an empty first word.
if [ -x "$top/$B/vtd-decode" ]; then
	all=$(complete_words vtd-decode "")
	absent=$("$top/$B/vtd-decode" --list | awk '{ print $1 }' |
		grep -vxF -f <(printf '%s\n' "$all") | tr '\n' ' ')
	if [ -z "$absent" ]; then
		ok "bash: every structure of vtd-decode --list is completed"
	else
		not_ok "bash: every structure of vtd-decode --list is completed" "missing: $absent"
	fi
else
	not_ok "bash: every structure of vtd-decode --list is completed" "vtd-decode is not built"
fi

# ---- vtd-sim: option values and the words of a request ------------------------------
expect_words vtd-sim "--fa" --faults
expect_words vtd-sim "--ca" --cache --caching-mode
expect_words vtd-sim "--faults " spec qemu
expect_words vtd-sim "-a " 39 48
expect_words vtd-sim "--cache iotlb=64,replace=" iotlb=64,replace=lru iotlb=64,replace=flush
expect_words vtd-sim "00:03.0 " read write exec
expect_words vtd-sim "-q 00:03.0 w" write
expect_words vtd-sim "00:03.0 read 0x1000 " pasid= priv at=translated expect=ok
expect_words vtd-sim "00:03.0 read 0x1000 at=t" at=translation-request at=translated

# --cache offers every setting the tool's own message names.
sim="$top/$B/vtd-sim"
if [ -x "$sim" ]; then
	msg=$("$sim" --cache '?' 00:03.0 read 0 2>&1 >/dev/null)
	names=$(sed -n 's/.*NAME one of \([a-z, ]*\) (N.*/\1/p' <<<"$msg" | tr -d ' ' | tr ',' '\n')
	policies=$(sed -n 's/.*replace=\([a-z|]*\).*/\1/p' <<<"$msg" | tr '|' '\n')
	# shellcheck disable=SC2086 # one name a word
	want=$(printf '%s=\n' $names; printf 'replace=%s\n' $policies; echo off)
	got=$(complete_words vtd-sim --cache "")
	absent=$(grep -vxF -f <(printf '%s\n' "$got") <<<"$want" | tr '\n' ' ')
	if [ -n "$names" ] && [ -n "$policies" ] && [ -z "$absent" ]; then
		ok "bash: --cache offers every setting vtd-sim names"
	else
		not_ok "bash: --cache offers every setting vtd-sim names" "missing: ${absent:-?}" \
			"from: $msg"
	fi

	# Every scenario operation the parser names is in the man page and the format.
	msg=$(echo '{"op":"?"}' | "$sim" -f - 2>&1 >/dev/null)
	ops=$(sed -n 's/.*unknown op .* (\([a-z, ]*\)).*/\1/p' <<<"$msg" | tr -d ' ' | tr ',' '\n')
	mantext=$(sed -e 's/\\-/-/g' "$top/man/vtd-sim.1.in")
	absent=
	for op in $ops; do
		# A bold word: ".B op", ".TP" + ".BR op ...", ".BR enable \", \" disable".
		grep -qE "^\.BR? (.* )?$op( .*)?\$" <<<"$mantext" || absent+="man:$op "
		grep -qF "\`$op\`" "$top/formats/scenario.md" || absent+="scenario.md:$op "
	done
	if [ -n "$ops" ] && [ -z "$absent" ]; then
		ok "every scenario operation is documented"
	else
		not_ok "every scenario operation is documented" "missing: ${absent:-?}" "from: $msg"
	fi
else
	not_ok "bash: --cache offers every setting vtd-sim names" "vtd-sim is not built"
	not_ok "every scenario operation is documented" "vtd-sim is not built"
fi

# ---- vtd-compile: option values -------------------------------------------------------
expect_words vtd-compile "-F " bin c elf map
expect_words vtd-compile "--format " bin c elf map
expect_words vtd-compile "--faults " spec qemu
expect_words vtd-compile "--profile " qemu qemu-sm client server

# ---- vtd-dump: option values and sources -----------------------------------------------
expect_words vtd-dump "--re" --regs --reachable
expect_words vtd-dump "--profile " qemu qemu-sm client server
expect_words vtd-dump "k" kcore: kdump:

# ---- vtd-top: option values, and every metric documented -----------------------------------
expect_words vtd-top "--fa" --fail-if
expect_words vtd-top "-F " dmesg ftrace qemu jsonl trace-cmd
expect_words vtd-top "--fail-if unmap_to" unmap_to_inv.p50 unmap_to_inv.p99
expect_words vtd-top "--tables k" kdump:
top_tool="$top/$B/vtd-top"
if [ -x "$top_tool" ]; then
	absent=
	mantext=$(sed -e 's/\\-/-/g' "$top/man/vtd-top.1.in")
	while read -r m _; do
		grep -qxF ".B $m" <<<"$mantext" || absent+="man:$m "
		grep -qF "| \`$m\` |" "$top/formats/vtd-top.md" || absent+="vtd-top.md:$m "
	done < <("$top_tool" --list-metrics)
	if [ -z "$absent" ]; then
		ok "every vtd-top metric is in the man page and formats/vtd-top.md"
	else
		not_ok "every vtd-top metric is in the man page and formats/vtd-top.md" "missing: $absent"
	fi
else
	not_ok "every vtd-top metric is in the man page and formats/vtd-top.md" "vtd-top is not built"
fi

# The help screen is made from the key table: each of its lines must be in
# the man page's KEYS, word for word.
expect_words vtd-top "--view " overview faults invalidations log
if [ -x "$top_tool" ]; then
	absent=
	mantext=$(sed -e 's/\\-/-/g' "$top/man/vtd-top.1.in")
	while IFS= read -r l; do
		grep -qxF -- "${l:16}" <<<"$mantext" || absent+="'${l:16}' "
	done < <(LC_ALL=C "$top_tool" --snapshot --size 100x60 --keys '?' \
			"$top/tests/data/traces/legacy-strict.dmesg.txt" | grep '^  [^ ]')
	if [ -z "$absent" ]; then
		ok "every key of vtd-top's help screen is in the man page"
	else
		not_ok "every key of vtd-top's help screen is in the man page" "missing: $absent"
	fi
else
	not_ok "every key of vtd-top's help screen is in the man page" "vtd-top is not built"
fi

echo "# docs-sync: $n checks, $nfail failed"
[ "$nfail" -eq 0 ]
