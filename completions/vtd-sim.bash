# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-sim (vtdkit).
#
# The options come from the tool itself, so this file cannot fall behind
# them: "vtd-sim --completion-helper" prints one option a line, followed by
# "file" or "value" when it takes an argument.  What is listed here is the
# fixed vocabulary of the arguments and of a request:
#   vtd-sim [OPTIONS] BDF ACCESS ADDRESS [pasid=N] [priv] [at=KIND] [expect=RESULT]

# compgen prints one candidate a line; none holds a blank except file names,
# which are split on newlines only.
# shellcheck disable=SC2207

_vtd_sim()
{
	local prog=${COMP_WORDS[0]} bashcur=${COMP_WORDS[COMP_CWORD]} line cur w opt kind
	local i c j strip argof='' dashdash=0 file=0
	local -a words=() operands=() opts=(--help --version)
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
	[[ $prog == */* && -x $prog ]] || type -P "$prog" >/dev/null 2>&1 || prog=vtd-sim
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
				[[ -n ${takes[$opt]-} ]] || continue
				((c + 1 == ${#w})) && { ((i + 1 == ${#words[@]} - 1)) && argof=$opt; ((i++)); }
				break
			done
		fi
		[[ $opt == -f || $opt == --file ]] && file=1
	done

	if [[ -z $argof && $dashdash == 0 && $cur == --*=* ]]; then
		argof=${cur%%=*}
		[[ -n ${takes[$argof]-} ]] || argof=
	fi
	if [[ -n $argof ]]; then
		_vtd_sim_arg "$argof" "${cur#"$argof"=}"
		[[ $cur == --*=* ]] && for j in "${!COMPREPLY[@]}"; do
			COMPREPLY[j]=$argof=${COMPREPLY[j]}
		done
	elif ((!dashdash)) && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${opts[*]}" -- "$cur"))
	elif ((!file)); then
		case ${#operands[@]} in
		1) COMPREPLY=($(compgen -W "read write exec" -- "$cur")) ;;
		0 | 2) ;;	# BDF, ADDRESS: nothing to offer
		*)
			COMPREPLY=($(compgen -W "pasid= priv at=untranslated at=translation-request
				at=translated at=page-request expect=ok expect=suppressed expect=dropped expect=0x" -- "$cur"))
			[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *[=x] ]] && compopt -o nospace 2>/dev/null
			;;
		esac
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

# The argument $2 of option $1.
_vtd_sim_arg()
{
	local pre='' items="context= pasid= iotlb= psc= devtlb= ways= seed=
		replace=lru replace=fifo replace=random replace=flush"

	case $1 in
	--faults) COMPREPLY=($(compgen -W "spec qemu" -- "$2")) ;;
	-a | --aw-bits) COMPREPLY=($(compgen -W "39 48" -- "$2")) ;;
	--cache)
		# A list: complete its last item; "off" only stands alone.
		if [[ $2 == *,* ]]; then pre=${2%,*}, ; else items="off $items"; fi
		COMPREPLY=($(compgen -P "$pre" -W "$items" -- "${2##*,}"))
		compopt -o nospace 2>/dev/null
		;;
	*)
		# Files, and the FILE of -l FILE@PA.
		[[ ${takes[$1]} == file ]] || return 0
		compopt -o filenames 2>/dev/null
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -- "$2"))
		;;
	esac
}

complete -F _vtd_sim vtd-sim
