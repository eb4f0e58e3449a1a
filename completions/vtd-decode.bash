# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-decode (vtdkit).
#
# Everything offered comes from the tool itself, so this file cannot fall
# behind it:
#   vtd-decode --completion-helper   options, one a line: "--file file", "--json"
#   vtd-decode --list                structure names (first column)
#   vtd-decode --fields STRUCT -j    field keys and value names for --encode
# Options may come anywhere on the line (getopt_long permutes them) until
# "--"; the first operand is STRUCT, 'dmar' or 'regs', and what follows it
# depends on that: hex words, FIELD=VALUE pairs or one FILE.

# compgen prints one candidate a line; candidates never hold blanks except
# file names, which are split on newlines only.
# shellcheck disable=SC2207

# The helper's options, cached per program path:
#   _vtd_decode_kind[--file]=file, [--json]='' (no argument), ...
declare -gA _vtd_decode_kind=()
declare -g _vtd_decode_for=
declare -ga _vtd_decode_optlist=()

_vtd_decode_load()
{
	local prog=$1 line opt kind

	[[ $_vtd_decode_for == "$prog" ]] && return 0
	_vtd_decode_kind=()
	_vtd_decode_optlist=()
	while IFS= read -r line; do
		[[ $line == -* ]] || continue
		opt=${line%% *}
		kind=
		[[ $line == *' '* ]] && kind=${line#* }
		_vtd_decode_kind[$opt]=$kind
		_vtd_decode_optlist+=("$opt")
	done < <("$prog" --completion-helper 2>/dev/null)
	# Handled by the option parser itself, not listed by the helper.
	_vtd_decode_kind[--help]=
	_vtd_decode_kind[--version]=
	_vtd_decode_kind[-h]=
	_vtd_decode_kind[-V]=
	_vtd_decode_optlist+=(--help --version)
	_vtd_decode_for=$prog
}

# Structure names; "concrete" leaves out the pickers (inv, irte), which can
# be neither encoded nor shown with --fields.
_vtd_decode_structs()
{
	local prog=$1 which=$2 name family rest

	while read -r name family rest; do
		[[ -n $name ]] || continue
		[[ $which == concrete && $family == picker ]] && continue
		printf '%s\n' "$name"
	done < <("$prog" --list 2>/dev/null)
}

# "key name" for each field of a structure, then "=value" lines for the
# named values of the field given as $3 (enumerations and bit sets).
_vtd_decode_fields()
{
	local prog=$1 st=$2 want=${3-} tok prev='' fname='' fkey=''

	while IFS= read -r tok; do
		case $tok in
		'"key":'*)
			fkey=${tok#'"key":"'}
			fkey=${fkey%'"'}
			fname=$prev
			printf '%s %s\n' "$fkey" "$fname"
			prev=
			;;
		'"name":'*)
			# A name right after a field's key is one of its values.
			[[ -n $prev && -n $want ]] && [[ ${fkey,,} == "${want,,}" || ${fname,,} == "${want,,}" ]] &&
				printf '=%s\n' "$prev"
			prev=${tok#'"name":"'}
			prev=${prev%'"'}
			;;
		esac
	done < <("$prog" --fields "$st" -j 2>/dev/null | grep -o '"\(name\|key\)":"[^"]*"')
	[[ -n $prev && -n $want ]] && [[ ${fkey,,} == "${want,,}" || ${fname,,} == "${want,,}" ]] &&
		printf '=%s\n' "$prev"
	return 0
}

_vtd_decode_files()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY+=($(compgen -f -- "$1"))
}

# Complete the argument of option $1 (kind $2) from $3.
_vtd_decode_optarg()
{
	local prog=$1 opt=$2 kind=$3 cur=$4

	case $kind in
	file) _vtd_decode_files "$cur" ;;
	struct) COMPREPLY+=($(compgen -W "$(_vtd_decode_structs "$prog" concrete)" -- "$cur")) ;;
	*)
		case $opt in
		-w | --width) COMPREPLY+=($(compgen -W "128 256" -- "$cur")) ;;
		esac
		;;
	esac
}

# bash splits words at the characters of COMP_WORDBREAKS ("=" and ":"
# among them), so "tt=pass" arrives as "tt" "=" "pass".  Join words that
# touch in COMP_LINE back together into words[] and cword.
_vtd_decode_words()
{
	local i pos=0 w joined=0

	words=()
	cword=$COMP_CWORD
	if [[ -z ${COMP_LINE-} ]]; then
		words=("${COMP_WORDS[@]}")
		return 0
	fi
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		joined=0
		while [[ ${COMP_LINE:pos:1} == [[:space:]] ]]; do
			((pos++))
			joined=-1
		done
		if ((i > 0 && joined == 0)) && [[ -n $w ]]; then
			words[${#words[@]} - 1]+=$w
		else
			words+=("$w")
		fi
		((pos += ${#w}))
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
	return 0
}

_vtd_decode()
{
	local -a words
	local cword bashcur=${COMP_WORDS[COMP_CWORD]} j strip

	_vtd_decode_words
	_vtd_decode_main
	# A word of break characters only ("=") stands for an empty one.
	[[ -n ${COMP_LINE-} && -n $bashcur && -z ${bashcur//[$COMP_WORDBREAKS]/} ]] && bashcur=
	# Hand back only what bash sees as the current word.
	strip=$((${#words[cword]} - ${#bashcur}))
	if ((strip > 0)); then
		for j in "${!COMPREPLY[@]}"; do
			COMPREPLY[j]=${COMPREPLY[j]:strip}
		done
	fi
	return 0
}

_vtd_decode_main()
{
	local cur=${words[cword]} prog=${words[0]}
	local i w opt c kind encode=0 fromjson=0 argof='' want='' dashdash=0
	local -a operands=()

	COMPREPLY=()
	# Run the program being completed if it can be found, else the one on PATH.
	if [[ $prog == */* ]]; then
		[[ -x $prog ]] || prog=vtd-decode
	else
		type -P "$prog" >/dev/null 2>&1 || prog=vtd-decode
	fi
	_vtd_decode_load "$prog"

	# Walk the words before the cursor as getopt_long will: options (with
	# their arguments) may come anywhere, before or after the operands,
	# until "--".  argof is set when the word under the cursor is the
	# argument of an option.
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		opt=
		if ((dashdash)) || [[ $w != -?* ]]; then
			operands+=("$w")
			continue
		elif [[ $w == -- ]]; then
			dashdash=1
			continue
		elif [[ $w == --*=* ]]; then
			opt=${w%%=*}
		elif [[ $w == --?* ]]; then
			opt=$w
			if [[ -n ${_vtd_decode_kind[$opt]-} ]]; then
				((i + 1 == cword)) && argof=$opt
				((i++))
			fi
		else
			# A cluster of short options; one that takes an argument ends it.
			for ((c = 1; c < ${#w}; c++)); do
				opt=-${w:c:1}
				[[ $opt == -e ]] && encode=1
				if [[ -n ${_vtd_decode_kind[$opt]-} ]]; then
					if ((c + 1 == ${#w})); then
						((i + 1 == cword)) && argof=$opt
						((i++))
					fi
					break
				fi
			done
		fi
		case $opt in
		-e | --encode) encode=1 ;;
		--from-json) fromjson=1 ;;
		esac
	done

	if [[ -n $argof ]]; then
		_vtd_decode_optarg "$prog" "$argof" "${_vtd_decode_kind[$argof]}" "$cur"
		return 0
	fi
	if ((!dashdash)) && [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		kind=${_vtd_decode_kind[$opt]-}
		if [[ -n $kind ]]; then
			_vtd_decode_optarg "$prog" "$opt" "$kind" "${cur#*=}"
			local j
			for j in "${!COMPREPLY[@]}"; do
				COMPREPLY[j]=$opt=${COMPREPLY[j]}
			done
		fi
		return 0
	fi
	if ((!dashdash)) && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${_vtd_decode_optlist[*]}" -- "$cur"))
		return 0
	fi

	if ((${#operands[@]} == 0)); then
		# The first operand: a structure or a subcommand.
		local which=all
		((encode)) && which=concrete
		COMPREPLY=($(compgen -W "$(_vtd_decode_structs "$prog" "$which") dmar regs" -- "$cur"))
		return 0
	fi

	local operand=${operands[0]}
	case $operand in
	dmar | regs)
		# One FILE.
		((${#operands[@]} == 1)) && _vtd_decode_files "$cur"
		return 0
		;;
	esac
	((encode && !fromjson)) || return 0

	# --encode STRUCT FIELD=VALUE...
	if [[ $cur == *=* ]]; then
		want=${cur%%=*}
		# A bit-set list: complete its last item.
		local pre=$want= v
		[[ $cur == *=*,* ]] && pre=${cur%,*},
		local -a vals=()
		while IFS= read -r v; do
			[[ $v == =* ]] && vals+=("$pre${v#=}")
		done < <(_vtd_decode_fields "$prog" "$operand" "$want")
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "${vals[*]}" -- "$cur"))
		return 0
	fi
	local key name keys=()
	while read -r key name; do
		[[ $key == =* ]] && continue
		# Capitals typed: offer the names as the specification spells them.
		if [[ $cur == [A-Z]* ]]; then
			keys+=("$name=")
		else
			keys+=("$key=")
		fi
	done < <(_vtd_decode_fields "$prog" "$operand")
	compopt -o nospace 2>/dev/null
	COMPREPLY=($(compgen -W "${keys[*]}" -- "$cur"))
	return 0
}

complete -F _vtd_decode vtd-decode
