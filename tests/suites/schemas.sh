#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# schemas: the JSON formats agree with their schemas, and vtd-compile's
# outputs work where they are used.
#   - formats/layout.schema.json and formats/compile-map.schema.json are
#     valid JSON Schemas (draft 2020-12)
#   - every samples/layouts/*.json validates against layout.schema.json
#     (after its // and /* */ comments are stripped: json-c reads them, a
#     strict JSON parser does not), and a few broken layouts do not
#   - with $B/vtd-compile: each sample compiles to .bin, .c (+ .h), .o and
#     .json; the map validates against compile-map.schema.json; compiling
#     twice gives the same bytes; the .o and the .c link with the system cc
#     into a program that compares the tables with the .bin and checks the
#     symbols and the header's offsets
# A missing vtd-compile or python3-jsonschema fails its checks: the suite
# never skips silently.  Prints "ok ..." / "not ok ..." lines for
# tests/run-tests.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
. "$top/tests/tap.sh"
tool="$top/$B/vtd-compile"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
CC=${CC:-cc}

# Debian's python3-jsonschema (.ci/deps) lives with /usr/bin/python3; a
# python3 earlier on PATH may lack it.
py=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then
		py=$p
		break
	fi
done

# The helper: "check SCHEMA FILE..." validates each FILE (comments
# stripped) and prints "ok FILE" or "bad FILE: message" per file;
# "schema SCHEMA" checks the schema itself.
cat >"$scratch/v.py" <<'PY'
import json, sys

def strip(text):
    """json-c's comments (// to end of line, /* */) outside strings, gone."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            # Keep line numbers: a comment becomes its newlines.
            out.append('\n' * text.count('\n', i, n if j < 0 else j))
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)

def load(path):
    with open(path, encoding='utf-8') as f:
        return json.loads(strip(f.read()))

import jsonschema
cls = jsonschema.Draft202012Validator
what, schema_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
schema = load(schema_path)
if what == 'schema':
    try:
        cls.check_schema(schema)
        print('ok', schema_path)
    except Exception as e:
        print('bad', schema_path + ':', str(e).splitlines()[0])
    sys.exit(0)
v = cls(schema, format_checker=cls.FORMAT_CHECKER)
for p in files:
    try:
        errs = sorted(v.iter_errors(load(p)), key=lambda e: list(e.absolute_path))
    except Exception as e:
        print('bad', p + ':', 'not JSON:', e)
        continue
    if errs:
        e = errs[0]
        print('bad', p + ':', '/' + '/'.join(map(str, e.absolute_path)) + ':', e.message[:300],
              '(+%d more)' % (len(errs) - 1) if len(errs) > 1 else '')
    else:
        print('ok', p)
PY

# validate SCHEMA FILE DESCRIPTION: one check
validate() {
	local out
	out=$("$py" "$scratch/v.py" check "$1" "$2" 2>&1)
	if [[ $out == "ok "* ]]; then ok "$3"; else not_ok "$3" "$out"; fi
}
# reject SCHEMA FILE DESCRIPTION: the schema must refuse FILE
reject() {
	local out
	out=$("$py" "$scratch/v.py" check "$1" "$2" 2>&1)
	if [[ $out == "bad "* && $out != *"not JSON"* ]]; then ok "$3"; else not_ok "$3" "$out"; fi
}

# valid_schema FILE: the schema itself is a valid draft 2020-12 schema.
valid_schema() {
	local out
	out=$("$py" "$scratch/v.py" schema "$1" 2>&1)
	if [[ $out == "ok "* ]]; then ok "${1#"$top/"} is a valid schema"; else not_ok "${1#"$top/"} is a valid schema" "$out"; fi
}
# validated SCHEMA FILE WHAT: FILE validates against SCHEMA (a failure without jsonschema).
validated() {
	if [ -n "$py" ]; then
		validate "$1" "$2" "$3 validates against ${1##*/}"
	else
		not_ok "$3 validates" "no python3 with jsonschema"
	fi
}
# built NAME PATH: ok when the tool is built; 1 when not.
built() {
	if [ -x "$2" ]; then ok "$1 is built"; return 0; fi
	not_ok "$1 is built" "no $2 (run make B=$B)"
	return 1
}

lschema="$top/formats/layout.schema.json"
mschema="$top/formats/compile-map.schema.json"
samples=("$top"/samples/layouts/*.json)

if [ -z "$py" ]; then
	not_ok "python3 with jsonschema is installed" "install python3-jsonschema (make deps)"
else
	ok "python3 with jsonschema is installed ($py)"
	valid_schema "$lschema"
	valid_schema "$mschema"
	if [ -e "${samples[0]}" ]; then
		for f in "${samples[@]}"; do
			validate "$lschema" "$f" "layout schema accepts ${f#"$top/"}"
		done
	else
		not_ok "samples/layouts has layouts"
	fi
	# The example of formats/layout.md, which claims to use every member.
	awk '/^```jsonc$/ { p = 1; next } /^```$/ { if (p) exit } p' "$top/formats/layout.md" \
		>"$scratch/layout-md-example.json"
	validate "$lschema" "$scratch/layout-md-example.json" "layout schema accepts the example of formats/layout.md"

	# Broken layouts the schema must refuse (comments are stripped first).
	bad() { # bad NAME JSON
		printf '%s\n' "$2" >"$scratch/bad-$1.json"
		reject "$lschema" "$scratch/bad-$1.json" "layout schema rejects $1"
	}
	pl='"placement": {"base": "0x100000", "size": "1M"}'
	bad "a missing version" "{$pl}"
	bad "an unknown key" "{\"vtd_layout\": 1, $pl, \"dedupe\": true}"
	bad "a hex size with a suffix" '{"vtd_layout": 1, "placement": {"base": "0x100000", "size": "0x10M"}}'
	bad "a second-stage domain without did" "{\"vtd_layout\": 1, $pl, \"domains\": {\"d\": {\"map\": []}}}"
	bad "a mapping with identity and iova" "{\"vtd_layout\": 1, $pl, \"domains\": {\"d\": {\"did\": 1, \"map\": [{\"identity\": 0, \"iova\": 0, \"size\": \"4K\"}]}}}"
	bad "a device with bdf and bus" "{\"vtd_layout\": 1, $pl, \"devices\": [{\"bdf\": \"00:03.0\", \"bus\": 0, \"blocked\": true}]}"
	bad "a device with domain and passthrough" "{\"vtd_layout\": 1, $pl, \"devices\": [{\"bdf\": \"00:03.0\", \"domain\": \"d\", \"passthrough\": true}]}"
	bad "a nested PASID without ss_domain" "{\"vtd_layout\": 1, $pl, \"mode\": \"scalable\", \"devices\": [{\"bdf\": \"00:03.0\", \"pasids\": [{\"pasid\": 0, \"pgtt\": \"nested\", \"fs_domain\": \"g\"}]}]}"
	bad "a bad perm" "{\"vtd_layout\": 1, $pl, \"domains\": {\"d\": {\"did\": 1, \"map\": [{\"identity\": 0, \"size\": \"4K\", \"perm\": \"rwq\"}]}}}"
fi

# ---- vtd-compile's outputs ------------------------------------------------------------
if ! built vtd-compile "$tool"; then
	echo "# schemas: $n checks, $nfail failed"
	exit 1
fi
if [ -s "$scratch/layout-md-example.json" ] &&
   out=$("$tool" -q --verify "$scratch/layout-md-example.json" -o "$scratch/layout-md-example.bin" 2>&1); then
	ok "the example of formats/layout.md builds and verifies"
else
	not_ok "the example of formats/layout.md builds and verifies" "$(head -3 <<<"$out")"
fi

# The program that checks a linked image, generated from the map: the
# tables must equal the .bin, sit 4 KiB aligned, and every header macro
# (and, for the .o, every symbol) must point where the map says.  The C
# source defines only NAME; its parts are NAME + the header's offsets.
cat >"$scratch/gen.py" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
name = sys.argv[2]
syms = sys.argv[4] == 'o'
up = name.upper()
base = int(m['base'], 16)
def sym(s, upper):
    s = re.sub(r'[^A-Za-z0-9_]', '_', s.encode('utf-8').decode('latin-1'))
    return s.upper() if upper else s
checks = []
decl = []
def add(symbol, macro, off):
    if syms:
        decl.append('extern const uint8_t %s[];' % symbol)
        checks.append('\tCHECK(%s == %s + %s);' % (symbol, name, macro))
    checks.append('\tCHECK(%s == 0x%xULL);' % (macro, off))
add(name + '_root', up + '_ROOT_OFFSET', (int(m['rtaddr'], 16) & ~0xfff) - base)
for d in m['domains']:
    if 'top' in d:
        add('%s_domain_%s' % (name, sym(d['name'], False)),
            '%s_DOMAIN_%s_OFFSET' % (up, sym(d['name'], True)), int(d['top'], 16) - base)
if int(m['irta'], 16):
    add(name + '_irt', up + '_IRT_OFFSET', (int(m['irta'], 16) & ~0xfff) - base)
print('''#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "%(h)s"
%(decl)s
#define CHECK(c) do { if (!(c)) { printf("failed: %%s\\n", #c); bad = 1; } } while (0)
int main(int argc, char **argv)
{
	static uint8_t want[%(UP)s_SIZE + 1];
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	int bad = 0;

	if (!f || fread(want, 1, sizeof(want), f) != %(UP)s_SIZE) {
		printf("cannot read the .bin, or its size is not %(UP)s_SIZE\\n");
		return 1;
	}
	CHECK(sizeof(%(name)s) == %(UP)s_SIZE);
	CHECK(memcmp(want, %(name)s, %(UP)s_SIZE) == 0);
	CHECK((uintptr_t)%(name)s %% 4096 == 0);
	CHECK(%(UP)s_BASE == 0x%(base)xULL);
	CHECK(%(UP)s_RTADDR == %(rtaddr)sULL);
	CHECK(%(UP)s_IRTA == %(irta)sULL);
%(checks)s
	return bad;
}''' % dict(h=sys.argv[3], decl='\n'.join(decl), UP=up, name=name, base=base,
            rtaddr=m['rtaddr'], irta=m['irta'], checks='\n'.join(checks)))
PY

for f in "${samples[@]}"; do
	s=$(basename "$f" .json)
	d="$scratch/$s"
	mkdir -p "$d/a" "$d/b"
	err=$("$tool" "$f" -o "$d/a/t.bin" -o "$d/a/t.c" -o "$d/a/t.o" -o "$d/a/t.json" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		not_ok "$s: vtd-compile writes .bin .c .o .json" "exit $rc: $(head -3 <<<"$err")"
		continue
	fi
	ok "$s: vtd-compile writes .bin .c .o .json"
	missing=
	for x in bin c h o json; do [ -s "$d/a/t.$x" ] || missing+=" t.$x"; done
	if [ -n "$missing" ]; then
		not_ok "$s: every output is there" "missing or empty:$missing"
		continue
	fi
	ok "$s: every output is there"
	validated "$mschema" "$d/a/t.json" "$s: the map"

	# Deterministic: the same layout, elsewhere, gives the same bytes.
	"$tool" "$f" -o "$d/b/t.bin" -o "$d/b/t.c" -o "$d/b/t.o" -o "$d/b/t.json" >/dev/null 2>&1
	diffs=
	for x in bin c h o json; do cmp -s "$d/a/t.$x" "$d/b/t.$x" || diffs+=" t.$x"; done
	if [ -z "$diffs" ]; then ok "$s: outputs are deterministic"; else not_ok "$s: outputs are deterministic" "differ:$diffs"; fi

	# Link the object, and the C source, into a program that checks them.
	if [ -z "$py" ]; then
		not_ok "$s: the .o links and its tables and symbols check out" "no python3"
		continue
	fi
	for src in o c; do
		what="$s: the .$src links with $CC and its tables, symbols and macros check out"
		[ $src = c ] && what="$s: the .c compiles and links with $CC and its tables and macros check out"
		"$py" "$scratch/gen.py" "$d/a/t.json" vtd_tables t.h $src >"$d/a/main-$src.c"
		if ! out=$(cd "$d/a" && "$CC" -std=c11 -Wall -Wextra -Werror -o "check-$src" "main-$src.c" "t.$src" 2>&1); then
			not_ok "$what" "link failed: $(head -5 <<<"$out")"
		elif ! out=$("$d/a/check-$src" "$d/a/t.bin" 2>&1); then
			not_ok "$what" "$(head -5 <<<"$out")"
		else
			ok "$what"
		fi
	done
done

# ---- vtd-dump's JSON ------------------------------------------------------------------------
# Real documents of every answer over tables vtd-compile built: the tree
# (with a walk), --raw, --check, --scan and --reachable, legacy and
# scalable; each validates against formats/vtd-dump.schema.json.
dschema="$top/formats/vtd-dump.schema.json"
dump="$top/$B/vtd-dump"
[ -z "$py" ] || valid_schema "$dschema"
if built vtd-dump "$dump"; then
	mkdir -p "$scratch/dump"
	for l in legacy:0x100000:0x100000 scalable:0x200000:0x200400; do
		IFS=: read -r name base rt <<<"$l"
		if ! "$tool" -q "$top/tests/data/dump/$name.json" -o "$scratch/dump/$name.bin" 2>/dev/null; then
			not_ok "vtd-dump: tests/data/dump/$name.json compiles"
			continue
		fi
		src="$scratch/dump/$name.bin@$base"
		prof=qemu
		[ "$name" = scalable ] && prof=server
		# Exit 1 (findings, nothing found) is an answer: the document is still there.
		for what in "tree:--address 0x1000" "raw:--raw" "check:--check" "reachable:--reachable" "scan:--scan"; do
			args=${what#*:}
			f="$scratch/dump/$name-${what%%:*}.json"
			if [ "${what%%:*}" = scan ]; then
				"$dump" -j -q "$src" --profile "$prof" $args >"$f" 2>"$f.err"
			else
				"$dump" -j -q "$src" --rtaddr "$rt" --profile "$prof" $args >"$f" 2>"$f.err"
			fi
			rc=$?
			if [ $rc -gt 1 ]; then
				not_ok "vtd-dump -j ${what%%:*} ($name) runs" "exit $rc: $(head -2 "$f.err")"
				continue
			fi
			validated "$dschema" "$f" "vtd-dump -j ${what%%:*} ($name)"
		done
	done
	# An error is a document too.
	"$dump" -j "$scratch/dump/legacy.bin@0x100000" --rtaddr 0x900000 >"$scratch/dump/err.json" 2>/dev/null
	if [ -n "$py" ]; then
		validate "$dschema" "$scratch/dump/err.json" "vtd-dump -j error object validates against vtd-dump.schema.json"
	fi
fi

# ---- vtd-top's JSON -------------------------------------------------------------------------
# The report of each real trace (strict, lazy, with a baseline, thresholds
# and --tables), batch frames, the metric list and an error validate
# against formats/vtd-top.schema.json.
tschema="$top/formats/vtd-top.schema.json"
ttool="$top/$B/vtd-top"
traces="$top/tests/data/traces"
[ -z "$py" ] || valid_schema "$tschema"
if built vtd-top "$ttool"; then
	mkdir -p "$scratch/top"
	strict=("$traces/legacy-strict.dmesg.txt" "$traces/legacy-strict.ftrace.txt.gz")
	lazy=("$traces/scalable-lazy.dmesg.txt.gz" "$traces/scalable-lazy.ftrace.txt.zst")
	"$tool" -q "$top/tests/data/top/edu-tables.json" -o "$scratch/top/t.bin" 2>/dev/null
	# Exit 1 (a threshold crossed) is an answer: the document is still there.
	runs=(
		"strict|--report -j ${strict[*]}"
		"lazy|--report -p --fail-if faults>0 --fail-if inv.domain_share>10% ${lazy[*]}"
		"baseline|--report -j --baseline ${strict[0]} --baseline ${strict[1]} ${lazy[*]}"
		"tables|--report -j --tables image:$scratch/top/t.bin@0x100000 --rtaddr 0x100000 ${strict[0]}"
		"qemu|--report -j $traces/legacy-strict.qemu-trace.log.gz"
		"metrics|--list-metrics -j"
		"error|--report -j $top/tests/data/sim/legacy.bin"
	)
	for r in "${runs[@]}"; do
		name=${r%%|*}
		f="$scratch/top/$name.json"
		# shellcheck disable=SC2086 # the arguments are words
		"$ttool" ${r#*|} >"$f" 2>"$f.err"
		rc=$?
		if [ $rc -gt 1 ] && [ "$name" != error ]; then
			not_ok "vtd-top $name runs" "exit $rc: $(head -2 "$f.err")"
			continue
		fi
		validated "$tschema" "$f" "vtd-top $name"
	done
	# Every frame of -b -j is one line and one document.
	"$ttool" -b -j -d 2 "${lazy[@]}" >"$scratch/top/frames.jsonl" 2>/dev/null
	nf=0
	while IFS= read -r l; do
		nf=$((nf + 1))
		printf '%s\n' "$l" >"$scratch/top/frame-$nf.json"
	done <"$scratch/top/frames.jsonl"
	if [ "$nf" -ge 3 ] && [ -n "$py" ]; then
		validate "$tschema" "$scratch/top/frame-1.json" "vtd-top -b -j: the first of $nf frames validates"
		validate "$tschema" "$scratch/top/frame-$nf.json" "vtd-top -b -j: the last frame validates"
	else
		not_ok "vtd-top -b -j prints frames" "$nf lines"
	fi
fi

echo "# schemas: $n checks, $nfail failed"
[ "$nfail" -eq 0 ]
