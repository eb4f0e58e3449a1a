# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion engine shared by vtdkit's tools (vtd-decode, vtd-sim,
# vtd-compile, vtd-dump): "make" puts it in front of each tool's own part, so
# every installed completion file stands alone.
#
# The options come from the tool itself, so no completion can fall behind
# them: "TOOL --completion-helper" prints one option a line, followed by
# "file" (or another word) when it takes an argument.  A tool's part defines
#   _TOOL_arg OPT VALUE    candidates for the argument of option OPT
#   _TOOL_operand          candidates for an operand
# (TOOL with '-' as '_'), which see the engine's locals: cur (the word),
# operands (the operands before it), seen (the options given), takes
# (option -> argument kind) and prog (the program asked).

# compgen prints one candidate a line; none holds a blank except file names,
# which are split on newlines only.
# shellcheck disable=SC2207

_vtd_complete()
{
	local tool=$1 fn=_${1//-/_}
	local prog=${COMP_WORDS[0]} bashcur=${COMP_WORDS[COMP_CWORD]} line cur w opt kind
	local i c j strip argof='' dashdash=0
	local -a words=() operands=() seen=() opts=(--help --version)
	local -A takes=()

	COMPREPLY=()
	# bash cuts words at '=' and ':' too ("at=tr" arrives as "at" "=" "tr",
	# "00:03.0" as three words): take the words at blanks from the line.
	if [[ -n ${COMP_LINE-} ]]; then
		line=${COMP_LINE:0:COMP_POINT}
		read -ra words <<<"$line"
		[[ -z $line || $line == *[[:space:]] ]] && words+=("")
		# A word of break characters only ("=") stands for an empty one.
		[[ -n $bashcur && -z ${bashcur//[$COMP_WORDBREAKS]/} ]] && bashcur=
	else
		words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
	fi
	cur=${words[${#words[@]} - 1]}

	# Ask the program being completed if it can be found, else the one on PATH.
	[[ $prog == */* && -x $prog ]] || type -P "$prog" >/dev/null 2>&1 || prog=$tool
	while read -r opt kind; do
		[[ $opt == -* ]] || continue
		opts+=("$opt")
		[[ -n $kind ]] && takes[$opt]=$kind
	done < <("$prog" --completion-helper 2>/dev/null)

	# The words before the cursor, as getopt_long reads them: options (and
	# their arguments) anywhere until "--", the rest operands.
	for ((i = 1; i < ${#words[@]} - 1; i++)); do
		w=${words[i]}
		opt=$w
		if ((dashdash)) || [[ $w != -?* ]]; then
			operands+=("$w")
			continue
		elif [[ $w == -- ]]; then
			dashdash=1
			continue
		elif [[ $w == --*=* ]]; then
			opt=${w%%=*}
		elif [[ $w == --* ]]; then
			[[ -n ${takes[$w]-} ]] && { ((i + 1 == ${#words[@]} - 1)) && argof=$w; ((i++)); }
		else
			# A cluster of short options: one that takes an argument ends it.
			for ((c = 1; c < ${#w}; c++)); do
				opt=-${w:c:1}
				seen+=("$opt")
				[[ -n ${takes[$opt]-} ]] || continue
				((c + 1 == ${#w})) && { ((i + 1 == ${#words[@]} - 1)) && argof=$opt; ((i++)); }
				break
			done
			continue
		fi
		seen+=("$opt")
	done

	if [[ -z $argof && $dashdash == 0 && $cur == --*=* ]]; then
		argof=${cur%%=*}
		[[ -n ${takes[$argof]-} ]] || argof=
	fi
	if [[ -n $argof ]]; then
		"${fn}_arg" "$argof" "${cur#"$argof"=}"
		[[ $cur == --*=* ]] && for j in "${!COMPREPLY[@]}"; do
			COMPREPLY[j]=$argof=${COMPREPLY[j]}
		done
	elif ((!dashdash)) && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${opts[*]}" -- "$cur"))
	else
		"${fn}_operand"
	fi

	# Hand back only the part bash sees as the current word.
	strip=$((${#cur} - ${#bashcur}))
	if ((strip > 0)); then
		for j in "${!COMPREPLY[@]}"; do
			COMPREPLY[j]=${COMPREPLY[j]:strip}
		done
	fi
	return 0
}

# File names for option $1's argument $2, when the tool says it takes a file.
_vtd_complete_file()
{
	[[ ${takes[$1]-} == file ]] || return 0
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -- "$2"))
}
