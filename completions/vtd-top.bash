# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-top (vtdkit): the arguments' vocabulary, over the
# shared engine (vtd-complete.bash, which make puts in front of this).
#   vtd-top [-b|--report|--snapshot] [OPTIONS] FILE...     FILE: traces
# shellcheck disable=SC2207

_vtd_top_arg()
{
	local metrics

	case $1 in
	-F | --format) COMPREPLY=($(compgen -W "dmesg ftrace qemu jsonl trace-cmd" -- "$2")) ;;
	--fail-if)
		# The metric names from the tool itself; an operator comes after.
		metrics=$("$prog" --list-metrics 2>/dev/null | awk '{ print $1 }')
		COMPREPLY=($(compgen -W "$metrics" -- "$2"))
		compopt -o nospace 2>/dev/null
		;;
	--tables)
		compopt -o filenames 2>/dev/null
		if [[ $2 == *:* ]]; then
			local IFS=$'\n'
			COMPREPLY=($(compgen -P "${2%%:*}:" -f -- "${2#*:}"))
		else
			# A memory source: a backend, then its file; or a raw image at 0.
			COMPREPLY=($(compgen -W "image: elf: kdump:" -- "$2"))
			((${#COMPREPLY[@]})) && compopt -o nospace 2>/dev/null
			local IFS=$'\n'
			COMPREPLY+=($(compgen -f -- "$2"))
		fi
		;;
	--view) COMPREPLY=($(compgen -W "overview faults invalidations log" -- "$2")) ;;
	--tracefs)
		compopt -o filenames 2>/dev/null
		local IFS=$'\n'
		COMPREPLY=($(compgen -d -- "$2"))
		;;
	--threads) COMPREPLY=($(compgen -W "1 2 4 8 $(nproc 2>/dev/null)" -- "$2")) ;;
	--size) COMPREPLY=($(compgen -W "80x24 100x30 120x40 160x50" -- "$2")) ;;
	--keys) COMPREPLY=($(compgen -W "'<F1>' '<F3>' '<Enter>' '<Esc>' '<Tab>'" -- "$2")) ;;
	*) _vtd_complete_file "$1" "$2" ;;
	esac
}

_vtd_top_operand()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -- "$cur"))
}

_vtd_top() { _vtd_complete vtd-top; }
complete -F _vtd_top vtd-top
