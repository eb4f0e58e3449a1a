# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-dump (vtdkit).
#
# The options come from the tool itself, so this file cannot fall behind
# them: "vtd-dump --completion-helper" prints one option a line, followed
# by "file", "profile" or "value" when it takes an argument.  What is listed
# here is the fixed vocabulary of the arguments:
#   vtd-dump [OPTIONS] [SOURCE]    SOURCE: image:FILE@BASE, elf:FILE, kdump:FILE,
#                                  devmem:, kcore:, or a file

# compgen prints one candidate a line; none holds a blank except file names,
# which are split on newlines only.
# shellcheck disable=SC2207

_vtd_dump()
{
	local prog=${COMP_WORDS[0]} bashcur=${COMP_WORDS[COMP_CWORD]} line cur w opt kind
	local i c j strip argof='' dashdash=0
	local -a words=() opts=(--help --version)
	local -A takes=()

	COMPREPLY=()
	# bash cuts words at '=' and ':' too: take the words at blanks from the line.
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
	[[ $prog == */* && -x $prog ]] || type -P "$prog" >/dev/null 2>&1 || prog=vtd-dump
	while read -r opt kind; do
		[[ $opt == -* ]] || continue
		opts+=("$opt")
		[[ -n $kind ]] && takes[$opt]=$kind
	done < <("$prog" --completion-helper 2>/dev/null)

	# The words before the cursor, as getopt_long reads them: options (and
	# their arguments) anywhere until "--", the rest operands.
	for ((i = 1; i < ${#words[@]} - 1; i++)); do
		w=${words[i]}
		if ((dashdash)) || [[ $w != -?* ]]; then
			continue
		elif [[ $w == -- ]]; then
			dashdash=1
		elif [[ $w == --*=* ]]; then
			continue
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
	done

	if [[ -z $argof && $dashdash == 0 && $cur == --*=* ]]; then
		argof=${cur%%=*}
		[[ -n ${takes[$argof]-} ]] || argof=
	fi
	if [[ -n $argof ]]; then
		_vtd_dump_arg "$argof" "${cur#"$argof"=}"
		[[ $cur == --*=* ]] && for j in "${!COMPREPLY[@]}"; do
			COMPREPLY[j]=$argof=${COMPREPLY[j]}
		done
	elif ((!dashdash)) && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${opts[*]}" -- "$cur"))
	elif [[ $cur == *:* ]]; then
		# A memory source: its backend, then a file.
		compopt -o filenames 2>/dev/null
		local IFS=$'\n'
		COMPREPLY=($(compgen -P "${cur%%:*}:" -f -- "${cur#*:}"))
	else
		# The memory source: a backend, or a file (a raw image at 0).
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -W "image: elf: kdump: devmem: kcore:" -- "$cur"))
		# "kcore:" is a word of its own; "image:" wants its file right after.
		((${#COMPREPLY[@]})) && compopt -o nospace 2>/dev/null
		local IFS=$'\n'
		COMPREPLY+=($(compgen -f -- "$cur"))
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
_vtd_dump_arg()
{
	local profiles

	case $1 in
	--profile)
		# vtd-compile's list; the built-in names if it cannot be asked.
		profiles=$(vtd-compile --list-profiles 2>/dev/null | awk '{ print $1 }')
		COMPREPLY=($(compgen -W "${profiles:-qemu qemu-sm client server}" -- "$2"))
		;;
	*)
		[[ ${takes[$1]} == file ]] || return 0
		compopt -o filenames 2>/dev/null
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -- "$2"))
		;;
	esac
}

complete -F _vtd_dump vtd-dump
